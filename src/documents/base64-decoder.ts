import { inputInvalid } from '../common/errors';

const notBase64 = (field: string) => inputInvalid(`Invalid input: ${field} is not valid base64 (standard alphabet A–Z a–z 0–9 + /, optional = padding).`);
const ALPHABET = /^[A-Za-z0-9+/]*$/;

/**
 * Incremental strict base64, the one owner of its rules (standard alphabet, optional
 * padding, line breaks and spaces tolerated, no data: prefix; decodeBase64 uses it too):
 * text is decoded a chunk at a time as the request arrives, whole 4-character
 * groups at once, so only the bytes are ever held, never the base64 text.
 */
export class Base64Decoder {
  private readonly parts: Buffer[] = [];
  /** Characters of an incomplete group carried to the next chunk (at most 3). */
  private carry = '';
  private seen = 0;
  private padding = 0;
  private head = '';

  /** `field`: the body field being decoded, as error messages name it. */
  constructor(private readonly field = 'document.data') {}

  write(chunk: string): void {
    const text = /[\r\n\t ]/.test(chunk) ? chunk.replace(/[\r\n\t ]+/g, '') : chunk;
    if (this.head.length < 5) {
      this.head += text.slice(0, 5 - this.head.length);
      if (this.head.startsWith('data:')) {
        throw inputInvalid(`Invalid input: ${this.field} must be plain base64, not a data: URI; drop the "data:…;base64," prefix.`);
      }
    }
    this.seen += text.length;
    const pad = text.indexOf('=');
    if (this.padding > 0 || pad >= 0) {
      // Padding only at the very end: '=' or '==' and nothing after it.
      const tail = this.padding > 0 ? text : text.slice(pad);
      if (!/^=*$/.test(tail)) throw notBase64(this.field);
      this.padding += tail.length;
      if (this.padding > 2) throw notBase64(this.field);
      this.take(this.padding === tail.length ? text.slice(0, pad) : '');
      return;
    }
    this.take(text);
  }

  /** The decoded file; refuses an incomplete final group. */
  end(): Buffer {
    if (this.carry.length === 1 || (this.padding > 0 && this.seen % 4 !== 0)) throw notBase64(this.field);
    if (this.carry) this.parts.push(Buffer.from(this.carry, 'base64'));
    this.carry = '';
    return Buffer.concat(this.parts);
  }

  private take(text: string): void {
    if (!ALPHABET.test(text)) throw notBase64(this.field);
    const all = this.carry + text;
    const whole = all.length - (all.length % 4);
    if (whole > 0) this.parts.push(Buffer.from(all.slice(0, whole), 'base64'));
    this.carry = all.slice(whole);
  }
}
