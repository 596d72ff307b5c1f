import * as net from 'node:net';
import * as http from 'node:http';
import { WebhookSender } from './sender';

/**
 * The address check runs on every send, not only in the DNS lookup: an endpoint URL
 * with an IP literal never reaches a lookup, and the scheme is checked again too.
 */
describe('WebhookSender outbound guard', () => {
  let server: net.Server;
  let connections = 0;
  let port = 0;
  const hook = { eventId: 'evt_1', body: '{}', secrets: { current: 'whsec_test' } };

  beforeAll(async () => {
    server = net.createServer((socket) => {
      connections++;
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => (connections = 0));

  it('refuses an IP-literal endpoint in a private range without connecting, and does not retry it', async () => {
    const sender = new WebhookSender({ allowPrivate: false, timeoutMs: 2000 });
    for (const url of [`https://127.0.0.1:${port}/hook`, `https://[::127.0.0.1]:${port}/hook`, `https://[::ffff:127.0.0.1]:${port}/hook`]) {
      const result = await sender.send({ ...hook, url });
      expect({ url, retryable: result.retryable, error: result.error }).toEqual({
        url,
        retryable: false,
        error: expect.stringMatching(/private or reserved address/),
      });
    }
    expect(connections).toBe(0);
  });

  it('refuses plain http on every send when only https is allowed', async () => {
    // Loopback counts as public here, as the internet is out of reach: only the scheme rule is left to refuse.
    const sender = new WebhookSender({ allowPrivate: false, timeoutMs: 2000, guard: { isAllowedAddress: () => true, resolve: async () => ['127.0.0.1'] } });
    const result = await sender.send({ ...hook, url: `http://hooks.example.test:${port}/hook` });
    expect(result).toMatchObject({ statusCode: null, retryable: false, error: expect.stringMatching(/must use https/) });
    expect(connections).toBe(0);
  });

  it('sends when the policy allows the target', async () => {
    const sender = new WebhookSender({ allowPrivate: true, timeoutMs: 2000 });
    const result = await sender.send({ ...hook, url: `http://127.0.0.1:${port}/hook` });
    expect(result).toMatchObject({ statusCode: 200, error: null });
    expect(connections).toBe(1);
  });
});

describe('WebhookSender requests', () => {
  let server: http.Server;
  let url = '';
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let handler: http.RequestListener = (_req, res) => res.end('ok');
  const hook = { eventId: 'evt_1', body: '{"id":"evt_1"}', secrets: { current: 'whsec_test' } };

  beforeAll(async () => {
    server = http.createServer((req, res) => handler(req, res));
    server.on('connection', (s) => {
      connections++;
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hook`;
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    connections = 0;
    handler = (_req, res) => res.end('ok');
  });

  it('sends the signed body and keeps the connection alive for the next sends', async () => {
    const seen: { body: string; headers: http.IncomingHttpHeaders }[] = [];
    handler = (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ body, headers: req.headers });
        res.end('ok');
      });
    };
    const sender = new WebhookSender({ allowPrivate: true, timeoutMs: 2000 });
    for (let i = 0; i < 5; i++) expect(await sender.send({ ...hook, url })).toMatchObject({ statusCode: 200, error: null });
    expect(connections).toBe(1);
    expect(seen[0].body).toBe(hook.body);
    expect(seen[0].headers).toMatchObject({ 'content-type': 'application/json', 'webhook-id': 'evt_1', 'x-kombo-signature': expect.any(String) });
  });

  it('gives up at the timeout even while the receiver keeps trickling its answer', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      const t = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(t));
    };
    const sender = new WebhookSender({ allowPrivate: true, timeoutMs: 300 });
    const started = Date.now();
    expect(await sender.send({ ...hook, url })).toMatchObject({ statusCode: null, error: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails an answer longer than 64 KB (retried), and reports a redirect without following it', async () => {
    const sender = new WebhookSender({ allowPrivate: true, timeoutMs: 2000 });
    handler = (_req, res) => res.end('x'.repeat(100 * 1024));
    expect(await sender.send({ ...hook, url })).toMatchObject({ statusCode: null, error: 'response too large', retryable: true });
    handler = (_req, res) => res.writeHead(302, { Location: 'http://127.0.0.1:9/elsewhere' }).end();
    expect(await sender.send({ ...hook, url })).toMatchObject({ statusCode: 302, error: 'redirect (HTTP 302) not followed', retryable: false });
  });
});
