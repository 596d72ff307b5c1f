// Test helpers every simulator's specs share: a fetch that keeps the text and the
// parsed JSON, and a loopback webhook receiver whose answers a test scripts.

export interface Fetched {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** `fetch` with the body read as text and, when it is JSON, parsed (`json` undefined otherwise). */
export async function fetchParsed(url: string, init: RequestInit = {}): Promise<Fetched> {
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: parsed };
}

export interface ReceivedDelivery {
  at: number;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, read field by field in the tests
  body: any;
}

/**
 * A loopback webhook receiver. `respond` decides per request (1-based count): a status, or 'hang'
 * to never answer (the sandbox must time out). Default: 200.
 */
export interface Receiver {
  url: string;
  received: ReceivedDelivery[];
  respond: (n: number, body: any) => number | 'hang' | { status: number; delayMs?: number; headers?: Record<string, string> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedDelivery[]>;
  close(): Promise<void>;
}

export async function startReceiver(path = '/hooks'): Promise<Receiver> {
  const { createServer } = await import('node:http');
  let waiters: Array<() => boolean> = [];
  const sockets = new Set<import('node:net').Socket>();
  const rec: Receiver = {
    url: '',
    received: [],
    respond: () => 200,
    waitFor(count, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`receiver got ${rec.received.length} of ${count} requests`)), timeoutMs);
        const check = () => {
          if (rec.received.length >= count) {
            clearTimeout(t);
            resolve(rec.received.slice());
            return true;
          }
          return false;
        };
        if (!check()) waiters.push(check);
      });
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      rec.received.push({ at: Date.now(), headers: req.headers, body });
      const answer = rec.respond(rec.received.length, body);
      waiters = waiters.filter((w) => !w());
      if (answer === 'hang') return;
      const a = typeof answer === 'number' ? { status: answer } : answer;
      const send = () => {
        res.writeHead(a.status, a.headers);
        res.end();
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rec.url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}${path}`;
  return rec;
}
