/**
 * Append-only byte buffer for JSON responses. Pages are ~550 KB; building them as V8 string
 * ropes and encoding afterwards cost more than everything else, so we write bytes directly.
 */
export class JsonOut {
  private buf: Buffer;
  private pos = 0;

  constructor(initial = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  /** Pre-encoded bytes (attribute prefixes, org objects). */
  raw(bytes: Buffer): void {
    const n = bytes.length;
    this.ensure(n);
    if (n < 32) {
      // A JS loop beats the native call for the many tiny pieces of a page.
      const buf = this.buf;
      const pos = this.pos;
      for (let i = 0; i < n; i++) buf[pos + i] = bytes[i];
    } else this.buf.set(bytes, this.pos);
    this.pos += n;
  }

  /** Text that is already valid JSON (numbers, `null`, JSON.stringify output). */
  text(s: string): void {
    const n = s.length;
    this.ensure(n * 3);
    if (n < 32) {
      const buf = this.buf;
      const pos = this.pos;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[pos + i] = c;
      }
      if (i === n) {
        this.pos += n;
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos);
  }

  value(v: string | Buffer): void {
    if (typeof v === 'string') this.text(v);
    else this.raw(v);
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
