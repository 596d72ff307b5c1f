// Spec-conformance tests list where a simulator knowingly departs from the vendor's
// published spec; each listed deviation must be explained and still be needed, so the
// list shrinks when the simulator (or the spec) is fixed.

/** One test per deviation: it has a reason, and the captured responses fail without it. */
export function eachDeviationIsNeeded<D extends { where: string; reason: string }>(deviations: D[], failuresWith: (kept: D[]) => string[]): void {
  it.each(deviations.map((d) => [d.where, d] as const))('the deviation "%s" is needed', (_where, deviation) => {
    expect(deviation.reason.length).toBeGreaterThan(20);
    expect(failuresWith(deviations.filter((d) => d !== deviation)).length).toBeGreaterThan(0);
  });
}
