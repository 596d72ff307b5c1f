import { setFlagsFromString } from 'node:v8';

/**
 * Applies V8_HEAP_GROWTH_PERCENT (GatewayConfig.heapGrowthPercent) to this process: how far
 * V8 lets the old generation grow past what is live before its next full collection (V8's
 * `--heap-growing-percent`); 0 leaves V8's own heuristic. Left to itself V8 grows it to up
 * to 4× the live heap; a sync streams ~1 MB pages that live just long enough to be promoted,
 * so RSS drifted to 230–330 MB whatever the company size. At 100 % (2×) a 100,000-employee
 * sync peaks near 200 MB for a few percent of speed (docs/benchmarks.md). V8 reads the flag
 * each time it sizes the heap after a collection, so setting it at start-up takes effect
 * (`node --heap-growing-percent=N` does the same from the command line).
 */
export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
