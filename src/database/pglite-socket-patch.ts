import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

/**
 * pglite-socket multiplexes several client connections onto one PGlite by queueing
 * protocol messages one at a time. With the extended query protocol a query is a
 * group of messages (Parse, Bind, Describe, Execute … Sync); interleaving two
 * connections' groups message by message mixes up the unnamed statement ("bind
 * message supplies N parameters, but prepared statement requires M"). This patch
 * queues each group as one unit, ending at Sync (or any message outside the
 * extended-protocol group), so a unit always runs whole; it also processes a
 * connection's data events strictly in order.
 */
const GROUPED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const PROTOCOL_V3 = 196608;

interface HandlerInternals {
  socket: { writable: boolean; write(b: Buffer, cb?: (e?: Error | null) => void): void } | null;
  active: boolean;
  messageBuffer: Buffer;
  queryQueue: { enqueue(id: number, msg: Uint8Array, onData: (d: Uint8Array) => void): Promise<number> };
  id: number;
  handleSslRequest(): boolean;
  handleCancelRequest(): boolean;
  inspectData(direction: string, data: Uint8Array): void;
  dispatchEvent(e: Event): boolean;
  unit?: Buffer[];
  chain?: Promise<unknown>;
}

let applied = false;

export function applyPgliteSocketPatch(): void {
  if (applied) return;
  applied = true;
  const proto = PGLiteSocketHandler.prototype as unknown as { handleData(data: Buffer): Promise<number> };
  proto.handleData = function (this: HandlerInternals, data: Buffer): Promise<number> {
    const run = () => handleDataInUnits.call(this, data);
    const next = (this.chain ?? Promise.resolve()).then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  };
}

async function handleDataInUnits(this: HandlerInternals, data: Buffer): Promise<number> {
  if (!this.socket || !this.active) return 0;
  this.messageBuffer = Buffer.concat([this.messageBuffer, data]);
  this.inspectData('incoming', data);
  let written = 0;
  while (this.messageBuffer.length > 0) {
    if (this.handleSslRequest() || this.handleCancelRequest()) continue;
    const buf = this.messageBuffer;
    let length = 0;
    let startup = false;
    if (buf.length >= 8 && buf.readInt32BE(4) === PROTOCOL_V3) {
      length = buf.readInt32BE(0);
      startup = true;
    } else if (buf.length >= 5) {
      length = 1 + buf.readInt32BE(1);
    }
    if (length === 0 || buf.length < length) break;
    const message = buf.subarray(0, length);
    this.messageBuffer = buf.subarray(length);
    if (!this.active || !this.socket) break;
    if (!startup && GROUPED.has(message[0])) {
      (this.unit ??= []).push(Buffer.from(message));
      continue;
    }
    const unit = this.unit && this.unit.length ? Buffer.concat([...this.unit, message]) : Buffer.from(message);
    this.unit = [];
    let writeError: Error | undefined;
    await this.queryQueue.enqueue(this.id, new Uint8Array(unit), (out) => {
      this.inspectData('outgoing', out);
      if (out.length > 0 && this.socket?.writable && this.active) {
        this.socket.write(Buffer.from(out), (e) => {
          if (e) writeError = e;
        });
      }
      written += out.length;
    });
    if (writeError) throw writeError;
  }
  this.dispatchEvent(new CustomEvent('data', { detail: { incoming: data.length, outgoing: written } }));
  return written;
}
