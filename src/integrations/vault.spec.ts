import { randomBytes } from 'node:crypto';
import { CredentialVault, SecretUnreadableError } from './vault';

describe('CredentialVault', () => {
  const secret = { clientId: 'abc', clientSecret: 'papi-super-secret-value' };

  it('round-trips and never stores the clear text', () => {
    const vault = new CredentialVault(randomBytes(32));
    const sealed = vault.seal(secret);
    expect(sealed).not.toContain('super-secret');
    expect(vault.open(sealed)).toEqual(secret);
  });

  it('uses a fresh IV for every value', () => {
    const vault = new CredentialVault(randomBytes(32));
    expect(vault.seal(secret)).not.toEqual(vault.seal(secret));
  });

  it('refuses tampered ciphertext', () => {
    const vault = new CredentialVault(randomBytes(32));
    const sealed = JSON.parse(vault.seal(secret));
    const ct = Buffer.from(sealed.ct, 'base64');
    ct[0] ^= 1;
    sealed.ct = ct.toString('base64');
    expect(() => vault.open(JSON.stringify(sealed))).toThrow(/does not decrypt with the configured key/);
  });

  it('opens values sealed with a previous key after rotation', () => {
    const oldKey = randomBytes(32);
    const sealed = new CredentialVault(oldKey).seal(secret);
    const rotated = new CredentialVault(randomBytes(32), [oldKey]);
    expect(rotated.open(sealed)).toEqual(secret);
    expect(rotated.isStale(sealed)).toBe(true);
    expect(() => new CredentialVault(randomBytes(32)).open(sealed)).toThrow(SecretUnreadableError);
    expect(() => new CredentialVault(randomBytes(32)).open(sealed)).toThrow(new RegExp(`key id ${JSON.parse(sealed).kid}.*ENCRYPTION_KEYS_PREVIOUS`));
  });
});
