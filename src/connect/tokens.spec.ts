import { csrfToken, hashToken, isTokenShaped, LINK_TOKEN_PREFIX, newCsrfKey, newLinkToken, verifyCsrf } from './tokens';
import { scrubText } from '../common/redact';

describe('connect tokens', () => {
  it('are 44 base58 characters behind their prefix, and the log scrubber redacts them', () => {
    const token = newLinkToken();
    expect(isTokenShaped(token, LINK_TOKEN_PREFIX)).toBe(true);
    expect(isTokenShaped(token.slice(0, -1), LINK_TOKEN_PREFIX)).toBe(false);
    expect(isTokenShaped(`${token.slice(0, -1)}0`, LINK_TOKEN_PREFIX)).toBe(false); // 0 is not base58
    expect(scrubText(`GET /connect/${token}/test`)).not.toContain(token.slice(5));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(newLinkToken()).not.toBe(token);
  });

  it('CSRF tokens verify only for their link and key, and resist tampering', () => {
    const key = newCsrfKey();
    const token = csrfToken(key, 'link-a');
    expect(verifyCsrf(key, 'link-a', token)).toBe(true);
    expect(verifyCsrf(key, 'link-b', token)).toBe(false);
    expect(verifyCsrf(newCsrfKey(), 'link-a', token)).toBe(false);
    const [nonce, mac] = token.split('.');
    expect(verifyCsrf(key, 'link-a', `${nonce}.${mac.slice(0, -1)}${mac.endsWith('0') ? '1' : '0'}`)).toBe(false);
    for (const bad of [undefined, '', 'x.y', ['a'], `${nonce}.`, `.${mac}`]) expect(verifyCsrf(key, 'link-a', bad)).toBe(false);
  });
});
