import { createHmac } from 'node:crypto';
import { generateSecret, komboSignature, signatureHeaders, standardKey, standardSignature } from './signing';

describe('generateSecret', () => {
  it('is whsec_ plus 40 base58 characters, which Standard Webhooks libraries can base64-decode', () => {
    const s = generateSecret();
    expect(s).toMatch(/^whsec_[1-9A-HJ-NP-Za-km-z]{40}$/);
    expect(standardKey(s)).toHaveLength(30);
    expect(generateSecret()).not.toBe(s);
  });
});

describe('signatures', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const body = '{"id":"ev_1","type":"data-changed","data":{}}';

  it("Kombo's: unpadded base64url HMAC-SHA256 of the body keyed with the secret string", () => {
    expect(komboSignature(secret, body)).toBe(createHmac('sha256', secret).update(body).digest('base64url'));
    expect(komboSignature(secret, body)).not.toMatch(/[=+/]/);
  });

  it('Standard Webhooks: v1, + base64 HMAC of id.timestamp.body keyed with the decoded secret', () => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = 'v1,' + createHmac('sha256', key).update(`ev_1.1700000000.${body}`).digest('base64');
    expect(standardSignature(secret, 'ev_1', 1_700_000_000, body)).toBe(expected);
    expect(standardKey(secret)).toEqual(key);
  });

  it('headers carry one signature per scheme, timestamped in seconds', () => {
    const h = signatureHeaders({ current: secret }, 'ev_1', body, 1_700_000_000_999);
    expect(h).toEqual({
      'X-Kombo-Signature': komboSignature(secret, body),
      'webhook-id': 'ev_1',
      'webhook-timestamp': '1700000000',
      'webhook-signature': standardSignature(secret, 'ev_1', 1_700_000_000, body),
    });
  });

  it('during a rotation both secrets sign: two Standard signatures, the old Kombo one in its own header', () => {
    const previous = generateSecret();
    const h = signatureHeaders({ current: secret, previous }, 'ev_2', body, 1_700_000_000_000);
    expect(h['webhook-signature'].split(' ')).toEqual([
      standardSignature(secret, 'ev_2', 1_700_000_000, body),
      standardSignature(previous, 'ev_2', 1_700_000_000, body),
    ]);
    expect(h['X-Kombo-Signature']).toBe(komboSignature(secret, body));
    expect(h['X-Kombo-Signature-Previous']).toBe(komboSignature(previous, body));
  });
});
