import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './config';

describe('V8_HEAP_GROWTH_PERCENT', () => {
  it('defaults to 100 (the old generation may grow to twice what is live); 0 leaves V8 its own heuristic', () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(100);
    expect(loadConfig({ V8_HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(loadConfig({ V8_HEAP_GROWTH_PERCENT: '50' }).heapGrowthPercent).toBe(50);
  });

  it('refuses what is not a whole number from 0 to 1000, naming the variable', () => {
    for (const bad of ['-1', '1.5', 'lots', '1001']) {
      expect(() => loadConfig({ V8_HEAP_GROWTH_PERCENT: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ V8_HEAP_GROWTH_PERCENT: bad })).toThrow(/V8_HEAP_GROWTH_PERCENT/);
    }
  });
});

describe('TRUST_PROXY', () => {
  it('defaults to a proxy on the same host; takes addresses, ranges, named ranges or a hop count', () => {
    expect(loadConfig({}).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback 192.0.2.7' }).trustProxy).toEqual(['10.0.0.0/8', 'loopback', '192.0.2.7']);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
  });

  it('refuses what is not an address, a range or a hop count, naming the variable', () => {
    for (const bad of ['everyone', '10.0.0.0/33', 'true', '11']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('METRICS_TOKEN and METRICS_PUBLIC', () => {
  it('keep /metrics closed by default; METRICS_PUBLIC opens it; both together are refused', () => {
    expect(loadConfig({})).toMatchObject({ metricsToken: null, metricsPublic: false });
    expect(loadConfig({ METRICS_PUBLIC: 'true' }).metricsPublic).toBe(true);
    expect(() => loadConfig({ METRICS_PUBLIC: 'true', METRICS_TOKEN: 'scrape-token-123' })).toThrow(/METRICS_PUBLIC cannot be combined with METRICS_TOKEN/);
  });
});

describe('CONNECT_FRAME_ANCESTORS', () => {
  it('is required in production, where the connect page holds credentials forms; any site may frame it elsewhere', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CONNECT_FRAME_ANCESTORS is required in production/);
    expect(loadConfig({ NODE_ENV: 'production', CONNECT_FRAME_ANCESTORS: 'https://app.lms.example.com' }).connectFrameAncestors).toEqual([
      'https://app.lms.example.com',
    ]);
    expect(loadConfig({ NODE_ENV: 'production', CONNECT_FRAME_ANCESTORS: '*' }).connectFrameAncestors).toEqual(['*']);
    expect(loadConfig({}).connectFrameAncestors).toEqual(['*']);
  });
});

describe('encryption keys', () => {
  const key = () => randomBytes(32).toString('base64');

  it('ENCRYPTION_KEYS_PREVIOUS takes comma-separated keys, base64 or hex', () => {
    const [a, b] = [key(), randomBytes(32).toString('hex')];
    expect(loadConfig({}).encryptionKeysPrevious).toEqual([]);
    expect(loadConfig({ ENCRYPTION_KEYS_PREVIOUS: ` ${a}, ${b} ` }).encryptionKeysPrevious).toEqual([a, b]);
  });

  it('refuses an entry that is not a 32-byte key, naming the variable and the entry but not its value', () => {
    const bad = 'c2hvcnQta2V5';
    expect(() => loadConfig({ ENCRYPTION_KEYS_PREVIOUS: `${key()},${bad}` })).toThrow(ConfigError);
    expect(() => loadConfig({ ENCRYPTION_KEYS_PREVIOUS: `${key()},${bad}` })).toThrow(/ENCRYPTION_KEYS_PREVIOUS entry 2 of 2 must be 32 bytes/);
    expect(() => loadConfig({ ENCRYPTION_KEYS_PREVIOUS: `${key()},${bad}` })).not.toThrow(new RegExp(bad));
  });

  it('ENCRYPTION_ALLOW_MISSING_KEYS is off unless set to true', () => {
    expect(loadConfig({}).allowMissingEncryptionKeys).toBe(false);
    expect(loadConfig({ ENCRYPTION_ALLOW_MISSING_KEYS: 'true' }).allowMissingEncryptionKeys).toBe(true);
    expect(() => loadConfig({ ENCRYPTION_ALLOW_MISSING_KEYS: 'maybe' })).toThrow(/ENCRYPTION_ALLOW_MISSING_KEYS/);
  });
});

describe('DATABASE_CONNECT_TIMEOUT_SECONDS', () => {
  it('defaults to 60; takes whole seconds, 0 meaning a single attempt', () => {
    expect(loadConfig({}).databaseConnectTimeoutSeconds).toBe(60);
    expect(loadConfig({ DATABASE_CONNECT_TIMEOUT_SECONDS: '0' }).databaseConnectTimeoutSeconds).toBe(0);
    expect(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_SECONDS: '-5' })).toThrow(/DATABASE_CONNECT_TIMEOUT_SECONDS/);
  });
});

describe('API_ACCESS_CACHE_SECONDS', () => {
  it('defaults to 5; 0 disables the cache; refuses more than 300 or what is not whole seconds, naming the variable', () => {
    expect(loadConfig({}).apiAccessCacheSeconds).toBe(5);
    expect(loadConfig({ API_ACCESS_CACHE_SECONDS: '0' }).apiAccessCacheSeconds).toBe(0);
    for (const bad of ['-1', '301', '2.5', 'soon']) expect(() => loadConfig({ API_ACCESS_CACHE_SECONDS: bad })).toThrow(/API_ACCESS_CACHE_SECONDS/);
  });
});
