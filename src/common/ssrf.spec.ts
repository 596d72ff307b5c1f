import * as http from 'node:http';
import axios from 'axios';
import { assertPublicUrl, isPublicAddress, safeAgents } from './ssrf';

describe('SSRF policy', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '224.0.0.1'])(
    'refuses %s',
    (a) => expect(isPublicAddress(a)).toBe(false),
  );
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111'])('accepts %s', (a) => expect(isPublicAddress(a)).toBe(true));

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
      const refused = axios.get(`http://localhost:${port}/`, { ...safeAgents(false), proxy: false });
      await expect(refused).rejects.toThrow(/private or reserved/);
      const allowed = await axios.get(`http://localhost:${port}/`, { ...safeAgents(true), proxy: false });
      expect(allowed.data).toBe('ok');
    } finally {
      server.close();
    }
  });
});
