import { classifyNetworkFailure, requestFault, retryAfterNetworkFailure, retryAfterStatus } from './retry';

describe('retry decision', () => {
  it('never retries a request that could not be built', () => {
    for (const code of ['ERR_INVALID_HTTP_TOKEN', 'ERR_INVALID_CHAR', 'ERR_UNESCAPED_CHARACTERS']) {
      expect(classifyNetworkFailure(code)).toBe('invalid-request');
      expect(retryAfterNetworkFailure(code, true)).toBe(false);
    }
  });

  it('retries a connection that never opened always, an ambiguous failure only when idempotent', () => {
    expect(retryAfterNetworkFailure('ECONNREFUSED', false)).toBe(true);
    expect(retryAfterNetworkFailure('ECONNRESET', true)).toBe(true);
    expect(retryAfterNetworkFailure('ECONNRESET', false)).toBe(false);
  });

  it('retries 429 and 503 always, other 5xx when idempotent, 4xx never', () => {
    expect([429, 503].map((s) => retryAfterStatus(s, false))).toEqual([true, true]);
    expect([500, 502].map((s) => [retryAfterStatus(s, true), retryAfterStatus(s, false)])).toEqual([
      [true, false],
      [true, false],
    ]);
    expect([400, 404, 422].map((s) => retryAfterStatus(s, true))).toEqual([false, false, false]);
  });

  it('finds a GET with a body invalid before it is sent', () => {
    expect(requestFault({ method: 'GET', data: { a: 1 } })).toMatch(/GET request has no body/);
    expect(requestFault({ method: 'GET' })).toBeNull();
    expect(requestFault({ method: 'POST', data: { a: 1 } })).toBeNull();
  });
});
