// Spec-only (jest hooks; left out of the build like every *.spec-env.ts).
/** A spec file's `start(options)`: each call starts one simulator over `defaults`; all are closed after the file's tests. */
export function startEach<O extends object, S extends { close(): Promise<void> }>(start: (o: O) => Promise<S>, defaults: NoInfer<O>): (o?: O) => Promise<S> {
  const started: S[] = [];
  afterAll(() => Promise.all(started.map((s) => s.close())));
  return async (o = {} as O) => {
    const sb = await start({ ...defaults, ...o });
    started.push(sb);
    return sb;
  };
}
