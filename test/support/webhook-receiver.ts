import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  json: { id: string; type: string; data: Record<string, unknown> };
  at: number;
  /** The status answered (unset while hanging or when dropped). */
  status?: number;
}

/** What the receiver does with a request: answer with a status, hang (never answer) or drop the connection. */
export type Reaction = number | 'hang' | 'drop' | { status: number; delayMs: number };

/**
 * A local webhook receiver for tests and benchmarks: records every request (raw body and
 * headers) and answers as `react` says — by default 200.
 */
export async function startWebhookReceiver(react: (req: ReceivedWebhook, n: number) => Reaction = () => 200) {
  const received: ReceivedWebhook[] = [];
  let reaction = react;
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      let json: ReceivedWebhook['json'];
      try {
        json = JSON.parse(body);
      } catch {
        json = { id: '', type: '', data: {} };
      }
      const hook: ReceivedWebhook = { headers, body, json, at: Date.now() };
      received.push(hook);
      const r = reaction(hook, received.length);
      if (r === 'hang') {
        hanging.add(res);
        return;
      }
      if (r === 'drop') {
        req.socket.destroy();
        return;
      }
      const answer = (status: number) => {
        hook.status = status;
        res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
      };
      if (typeof r === 'number') answer(r);
      else setTimeout(() => answer(r.status), r.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    setReaction(r: (req: ReceivedWebhook, n: number) => Reaction) {
      reaction = r;
    },
    ids: () => received.map((r) => r.json.id),
    async waitFor(pred: (all: ReceivedWebhook[]) => boolean, timeoutMs = 10_000): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (!pred(received)) {
        if (Date.now() > until) throw new Error(`receiver: condition not met within ${timeoutMs} ms (${received.length} received)`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
