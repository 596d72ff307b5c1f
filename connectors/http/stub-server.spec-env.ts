// Spec-only (jest hooks; left out of the build like every *.spec-env.ts).
// A scripted local HTTP server for client specs: each request is answered by the
// test's function (a string body is sent as is, anything else as JSON).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
export type StubAnswer = { status: number; body?: unknown; headers?: Record<string, string> };

/** Starts the server before the spec file's tests and closes it after them; `origin` is set once started. */
export function useStubServer(answer: (req: Seen) => StubAnswer): { readonly origin: string } {
  const state = { origin: '' };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const r = answer({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return state;
}
