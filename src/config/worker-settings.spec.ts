// The sync and webhook settings are part of the gateway configuration, read from the env given to loadConfig only.
import { ConfigError, loadConfig } from './config';

describe('worker settings in GatewayConfig', () => {
  it('reads SYNC_* and WEBHOOK_* from the env it is given', () => {
    const config = loadConfig({ SYNC_POLL_MS: '100', SYNC_RETRY_BASE_MS: '300', WEBHOOK_POLL_MS: '20', WEBHOOK_RETRY_WINDOW_MS: '1200' });
    expect(config.sync).toMatchObject({ pollMs: 100, retryBaseMs: 300, heartbeatMs: 5_000 });
    expect(config.webhooks).toMatchObject({ pollMs: 20, retryWindowMs: 1200, timeoutMs: 10_000, leaseMs: 30_000 });
  });

  it("never reads this process's environment behind the caller's back", () => {
    const before = process.env.SYNC_POLL_MS;
    process.env.SYNC_POLL_MS = '12345';
    try {
      expect(loadConfig({}).sync.pollMs).toBe(2_000);
    } finally {
      if (before === undefined) delete process.env.SYNC_POLL_MS;
      else process.env.SYNC_POLL_MS = before;
    }
  });

  it('gives full syncs and light runs their own run slots; SYNC_CONCURRENCY, the single pool before, caps both', () => {
    expect(loadConfig({}).sync).toMatchObject({ fullConcurrency: 2, deltaConcurrency: 64 });
    expect(loadConfig({ SYNC_FULL_CONCURRENCY: '3', SYNC_DELTA_CONCURRENCY: '100' }).sync).toMatchObject({ fullConcurrency: 3, deltaConcurrency: 100 });
    expect(loadConfig({ SYNC_CONCURRENCY: '16' }).sync).toMatchObject({ fullConcurrency: 2, deltaConcurrency: 16 });
    expect(loadConfig({ SYNC_CONCURRENCY: '1' }).sync).toMatchObject({ fullConcurrency: 1, deltaConcurrency: 1 });
    expect(loadConfig({ SYNC_CONCURRENCY: '16', SYNC_DELTA_CONCURRENCY: '40' }).sync).toMatchObject({ fullConcurrency: 2, deltaConcurrency: 40 });
    expect(() => loadConfig({ SYNC_FULL_CONCURRENCY: '0' })).toThrow(/SYNC_FULL_CONCURRENCY/);
  });

  it('refuses inconsistent values, naming the variable', () => {
    expect(() => loadConfig({ SYNC_HEARTBEAT_MS: '1000', SYNC_STALE_MS: '1500' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_LEASE_MS: '4000' })).toThrow(/WEBHOOK_LEASE_MS/);
  });
});
