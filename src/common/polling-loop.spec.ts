import { PollingLoop } from './polling-loop';
import type { GatewayLogger } from './logger';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Until `done()` holds, or 5 s have passed: for what must happen once, however loaded the machine. */
async function until(done: () => boolean): Promise<void> {
  for (const end = Date.now() + 5000; !done() && Date.now() < end;) await sleep(5);
}

function logger() {
  const errors: { obj: unknown; msg: string }[] = [];
  const log = { error: (obj: unknown, msg: string) => errors.push({ obj, msg }) } as unknown as GatewayLogger;
  return { log, errors };
}

/** A tick that counts its rounds in `n`. */
function counter() {
  const c = { n: 0, tick: async (): Promise<void> => void c.n++ };
  return c;
}

/** A loop named `t` with a logger nobody reads. */
const newLoop = (intervalMs: number, tick: () => Promise<number | void>): PollingLoop => new PollingLoop({ name: 't', intervalMs, log: logger().log, tick });

describe('PollingLoop', () => {
  let loop: PollingLoop | null = null;
  afterEach(async () => {
    await loop?.stop();
    loop = null;
  });

  it('runs a first round at start, then one per interval', async () => {
    const rounds = counter();
    loop = newLoop(30, rounds.tick);
    loop.start();
    await sleep(10);
    expect(rounds.n).toBe(1);
    await sleep(100);
    expect(rounds.n).toBeGreaterThanOrEqual(3);
    expect(rounds.n).toBeLessThanOrEqual(5);
  });

  it('waits as long as a round says before the next', async () => {
    let n = 0;
    loop = newLoop(10, async () => (n++, 10_000));
    loop.start();
    await sleep(80);
    expect(n).toBe(1);
  });

  it('a first round can be delayed', async () => {
    const rounds = counter();
    loop = newLoop(10, rounds.tick);
    loop.start(10_000);
    await sleep(50);
    expect(rounds.n).toBe(0);
    loop.wake();
    await sleep(10);
    expect(rounds.n).toBe(1);
  });

  it('a wake-up brings the next round forward; the earlier of two requests wins', async () => {
    const rounds = counter();
    loop = newLoop(60_000, rounds.tick);
    loop.start();
    await sleep(10);
    expect(rounds.n).toBe(1);
    loop.wake(5_000);
    loop.wake(20);
    loop.wake(10_000);
    await sleep(80);
    expect(rounds.n).toBe(2);
  });

  it('never overlaps rounds: wake-ups during a round make exactly one more round after it', async () => {
    let n = 0;
    let inRound = 0;
    let maxInRound = 0;
    loop = newLoop(60_000, async () => {
      n++;
      maxInRound = Math.max(maxInRound, ++inRound);
      await sleep(40);
      inRound--;
    });
    loop.start();
    await sleep(10);
    for (let i = 0; i < 5; i++) loop.wake();
    await sleep(150);
    expect(maxInRound).toBe(1);
    expect(n).toBe(2);
  });

  it('logs a failed round and goes on after the interval', async () => {
    const { log, errors } = logger();
    let n = 0;
    loop = new PollingLoop({
      name: 'test tick',
      intervalMs: 20,
      log,
      tick: async () => {
        if (n++ === 0) throw new Error('boom');
        return 60_000;
      },
    });
    loop.start();
    // The second round follows the failed one after 20 ms; it asks for a minute before the next.
    await until(() => n >= 2);
    expect(n).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0].msg).toBe('test tick failed');
  });

  it('stop waits for the round under way, and no round follows', async () => {
    let n = 0;
    let finished = false;
    loop = newLoop(5, async () => {
      n++;
      await sleep(40);
      finished = true;
    });
    loop.start();
    await sleep(10);
    loop.wake();
    await loop.stop();
    expect(finished).toBe(true);
    await sleep(40);
    expect(n).toBe(1);
    expect(loop.isRunning).toBe(false);
    loop.wake();
    await sleep(20);
    expect(n).toBe(1);
  });

  it('can start again after a stop', async () => {
    const rounds = counter();
    loop = newLoop(60_000, rounds.tick);
    loop.start();
    await sleep(10);
    await loop.stop();
    loop.start();
    await sleep(10);
    expect(rounds.n).toBe(2);
  });
});
