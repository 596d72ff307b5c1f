import fc from 'fast-check';
import { Base64Decoder } from './base64-decoder';
import { decodeBase64, UploadRules } from './file-rules';

const rules: UploadRules = { extensions: ['pdf'], maxBytes: 1024 * 1024, maxTitleLength: 255 };

/** The streaming decoder against the whole-string one, on the same text cut into random chunks. */
function streamed(text: string, cuts: number[]): { ok: Buffer } | { error: string } {
  const d = new Base64Decoder();
  try {
    let at = 0;
    for (const c of [...cuts.map((n) => Math.min(n, text.length)).sort((a, b) => a - b), text.length]) {
      d.write(text.slice(at, Math.max(at, c)));
      at = Math.max(at, c);
    }
    const bytes = d.end();
    // The size rules (empty, too large) are applied to the bytes afterwards, as prepareDocumentRequest does.
    return bytes.length === 0 ? { error: 'empty' } : { ok: bytes };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function whole(text: string): { ok: Buffer } | { error: string } {
  try {
    return { ok: decodeBase64(text, rules) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('Base64Decoder', () => {
  it('decodes exactly what decodeBase64 decodes, and refuses what it refuses, however the text is chunked', () => {
    const b64char = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split(''));
    const text = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b).toString('base64')),
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b).toString('base64').replace(/=+$/, '')),
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) =>
        Buffer.from(b)
          .toString('base64')
          .replace(/(.{76})/g, '$1\r\n'),
      ),
      fc.array(fc.oneof(b64char, fc.constantFrom('=', ' ', '\n', '-', '_', '.', 'é')), { minLength: 1, maxLength: 40 }).map((c) => c.join('')),
      fc.constant('data:application/pdf;base64,QUJD'),
    );
    fc.assert(
      fc.property(text, fc.array(fc.nat(300), { maxLength: 6 }), (t, cuts) => {
        const a = streamed(t, cuts);
        const b = whole(t);
        if ('ok' in b) expect(a).toEqual(b);
        else expect('error' in a).toBe(true);
      }),
      { seed: 17, numRuns: 2000 },
    );
  });
});
