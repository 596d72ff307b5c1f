import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

/** @kombo-api/connect's browser (UMD) build, unchanged, from node_modules: no CDN. */
const CONNECT_BUILD = path.join(path.dirname(require.resolve('@kombo-api/connect/package.json')), 'dist', 'index.js');

const HOST_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ACME Learning (host page)</title></head>
<body><h1>ACME Learning</h1><p>Settings › HR integration</p>
<script src="/kombo-connect.js"></script></body></html>`;

export interface HostPage {
  url: string;
  origin: string;
  close(): Promise<void>;
}

/** A stand-in for the LMS's own page, on its own origin, that loads @kombo-api/connect. */
export async function startHostPage(): Promise<HostPage> {
  const server = http.createServer((req, res) => {
    if (req.url === '/kombo-connect.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      fs.createReadStream(CONNECT_BUILD).pipe(res);
    } else if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(HOST_HTML);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // "localhost" rather than 127.0.0.1: a different origin from the gateway's, as in production.
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
