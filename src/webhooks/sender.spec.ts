import * as net from 'node:net';
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
