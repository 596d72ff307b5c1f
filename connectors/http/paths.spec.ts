import { passthroughRequest } from './paths';

describe('passthroughRequest headers', () => {
  const forwarded = (headers: Record<string, string>) => passthroughRequest({ method: 'GET', path: '/x', headers }, '/x').headers;

  it("never forwards the gateway's own auth or the hop-by-hop headers (RFC 9110 §7.6.1), in any case", () => {
    const never = {
      Authorization: 'Bearer caller',
      'Proxy-Authorization': 'Basic cHJveHk6c2VjcmV0',
      Cookie: 'session=1',
      Host: 'evil.example',
      'Content-Length': '5',
      'Transfer-Encoding': 'chunked',
      Connection: 'close',
      'Keep-Alive': 'timeout=5',
      'Proxy-Connection': 'keep-alive',
      TE: 'trailers',
      Trailer: 'X-Checksum',
      Upgrade: 'websocket',
    };
    expect(forwarded({ ...never, 'X-Request-Id': 'r1', Accept: 'application/json' })).toEqual({ 'X-Request-Id': 'r1', Accept: 'application/json' });
    for (const [name, value] of Object.entries(never)) expect(forwarded({ [name.toLowerCase()]: value, 'X-Ok': '1' })).toEqual({ 'X-Ok': '1' });
  });

  it("drops the headers the caller's Connection header names as hop-by-hop too", () => {
    expect(forwarded({ Connection: 'X-Hop, x-other ,keep-alive', 'x-hop': 'a', 'X-Other': 'b', 'X-Kept': 'c' })).toEqual({ 'X-Kept': 'c' });
    expect(forwarded({ 'X-Hop': 'a' })).toEqual({ 'X-Hop': 'a' });
  });
});
