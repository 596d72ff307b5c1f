// An open-loop load generator: request i is due at start + i/rate whatever the answers
// before it did, and its latency runs from when it was due (not when it went out), so a
// slow server cannot slow the generator down and hide its own queueing (coordinated
// omission, which a closed loop such as autocannon's connections has).
import { Agent, request } from 'node:http';

export interface OpenLoopResult {
  offered: number;
  completed: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export async function openLoop(url: string, headers: Record<string, string>, rate: number, seconds: number): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  const one = (due: number) =>
    new Promise<void>((resolve) => {
      const req = request(url, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - due);
          else errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(one(due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => +(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN).toFixed(1);
  return {
    offered: rate,
    completed: latencies.length,
    errors,
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    max: +(latencies[latencies.length - 1] ?? NaN).toFixed(1),
  };
}
