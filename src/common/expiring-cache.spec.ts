import { ExpiringCache } from './expiring-cache';

describe('ExpiringCache', () => {
  it('keeps what a lookup found for the TTL, and never a miss', async () => {
    const cache = new ExpiringCache<string>(60_000, 10);
    let loads = 0;
    const load = (v: string | null) => async () => (loads++, v);
    expect(await cache.getOrLoad('a', load('A'))).toBe('A');
    expect(await cache.getOrLoad('a', load('other'))).toBe('A');
    expect(await cache.getOrLoad('missing', load(null))).toBeNull();
    expect(await cache.getOrLoad('missing', load(null))).toBeNull();
    expect(loads).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('looks up again once the TTL has passed; a TTL of 0 caches nothing', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const cache = new ExpiringCache<number>(1000, 10);
      await cache.getOrLoad('k', async () => 1);
      jest.setSystemTime(999);
      expect(cache.get('k')).toBe(1);
      jest.setSystemTime(1000);
      expect(cache.get('k')).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
    const off = new ExpiringCache<number>(0, 10);
    await off.getOrLoad('k', async () => 1);
    expect(off.size).toBe(0);
  });

  it('holds at most `max` entries, dropping the oldest', async () => {
    const cache = new ExpiringCache<number>(60_000, 3);
    for (let i = 0; i < 5; i++) await cache.getOrLoad(`k${i}`, async () => i);
    expect(cache.size).toBe(3);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k4')).toBe(4);
  });

  it('does not keep a lookup that was in flight when clear() ran: it may predate the change', async () => {
    const cache = new ExpiringCache<string>(60_000, 10);
    let release!: (v: string) => void;
    const pending = cache.getOrLoad('k', () => new Promise<string>((r) => (release = r)));
    cache.clear();
    release('stale');
    expect(await pending).toBe('stale');
    expect(cache.get('k')).toBeUndefined();
  });
});
