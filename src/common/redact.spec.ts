import { redactDeep } from './redact';

describe('redactDeep', () => {
  it('redacts secret keys at any depth and keeps the rest', () => {
    expect(redactDeep({ user: 'ada', nested: { password: 'p', list: [{ token: 't', id: 1 }] } })).toEqual({
      user: 'ada',
      nested: { password: '[REDACTED]', list: [{ token: '[REDACTED]', id: 1 }] },
    });
  });

  it('copies a "__proto__" key an upstream sent (JSON.parse makes it an own key) as a key, never as the copy\'s prototype', () => {
    const logged = JSON.parse('{"__proto__": {"secret": "s3cr3t", "name": "x"}, "ok": true}') as Record<string, unknown>;
    const out = redactDeep(logged) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'ok']);
    expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse('{"__proto__": {"secret": "[REDACTED]", "name": "x"}, "ok": true}'));
  });
});
