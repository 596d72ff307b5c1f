import * as http from 'node:http';
import { assertPublicUrl, isPublicAddress, OutboundGuard } from './ssrf';

describe('SSRF policy', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fc00::1',
    '::ffff:127.0.0.1',
    '224.0.0.1',
  ])('refuses %s', (a) => expect(isPublicAddress(a)).toBe(false));
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '64:ff9b::808:808'])('accepts %s', (a) => expect(isPublicAddress(a)).toBe(true));

  // IPv4-compatible IPv6 (::/96) and every other range that is not globally reachable.
  it.each([
    '::7f00:1',
    '::a9fe:a9fe',
    '::a00:1',
    '::',
    '::ffff:0:7f00:1',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::1',
    '2002:7f00:1::1',
    '2001::1',
    '2001:db8::1',
    '3fff::1',
    '100::1',
    '4000::1',
    'fec0::1',
    '5f00::1',
    '192.0.0.1',
    '192.0.2.1',
    '198.18.0.1',
    '240.0.0.1',
  ])('refuses the non-global %s', (a) => expect(isPublicAddress(a)).toBe(false));

  it('refuses IPv4-compatible IPv6 literals in URLs before any connection', () => {
    const guard = new OutboundGuard({ allowPrivate: false, protocols: ['https:'] });
    expect(() => guard.checkUrl('https://[::127.0.0.1]/hook')).toThrow(/private or reserved address \(::7f00:1\)/);
    expect(() => guard.checkUrl('https://[::169.254.169.254]/latest')).toThrow(/::a9fe:a9fe/);
    expect(() => guard.checkUrl('https://0x7f.1/hook')).toThrow(/127\.0\.0\.1/);
  });

  it('refuses loopback hosts, bad protocols and embedded credentials', async () => {
    const policy = { allowPrivate: false, protocols: ['https:'] };
    await expect(assertPublicUrl('https://127.0.0.1/hook', policy)).rejects.toThrow(/private or reserved/);
    await expect(assertPublicUrl('https://localhost/hook', policy)).rejects.toThrow(/private or reserved/);
    await expect(assertPublicUrl('http://8.8.8.8/hook', policy)).rejects.toThrow(/https/);
    await expect(assertPublicUrl('https://u:p@8.8.8.8/hook', policy)).rejects.toThrow(/credentials/);
    await expect(assertPublicUrl('not a url', policy)).rejects.toThrow(/valid URL/);
    await expect(assertPublicUrl('https://8.8.8.8/hook', policy)).resolves.toBeInstanceOf(URL);
  });

  it('allows private targets only when the operator says so', async () => {
    await expect(assertPublicUrl('http://127.0.0.1:1/x', { allowPrivate: true, protocols: ['http:'] })).resolves.toBeInstanceOf(URL);
  });

  it('checks the address again at connection time (DNS rebinding)', async () => {
    const server = http.createServer((_, res) => res.end('ok')).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    try {
      const refused = new OutboundGuard({ allowPrivate: false, protocols: ['http:'] }).axios().get(`http://localhost:${port}/`);
      await expect(refused).rejects.toThrow(/private or reserved/);
      const allowed = await new OutboundGuard({ allowPrivate: true, protocols: ['http:'] }).axios().get(`http://localhost:${port}/`);
      expect(allowed.data).toBe('ok');
    } finally {
      server.close();
    }
  });
});
