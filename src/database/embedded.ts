import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { applyPgliteSocketPatch } from './pglite-socket-patch';

export interface EmbeddedPostgres {
  url: string;
  /** True when this process attached to an embedded database another process serves. */
  attached: boolean;
  stop(): Promise<void>;
}

const OWNER_FILE = 'embedded-postgres.json';

/**
 * PGlite (Postgres compiled to WASM) exposed over the Postgres wire protocol on a
 * loopback port, so `pg` and TypeORM talk to it exactly as to a real server.
 * `dataDir` null keeps it in memory (tests).
 *
 * PGlite is single-process: a second process must never open the same directory.
 * The owner records its port in the data directory, and a second process (the CLI
 * while the gateway runs) connects to that port instead of opening the files.
 */
export async function startEmbeddedPostgres(dataDir: string | null): Promise<EmbeddedPostgres> {
  if (dataDir) {
    const owner = await runningOwner(dataDir);
    if (owner) return { url: owner, attached: true, stop: async () => undefined };
  }
  applyPgliteSocketPatch();
  let db: PGlite;
  if (dataDir) {
    const pgdata = path.join(dataDir, 'pgdata');
    fs.mkdirSync(pgdata, { recursive: true });
    db = await PGlite.create(pgdata);
  } else {
    db = await PGlite.create();
  }
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 32 });
  await server.start();
  const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
  const ownerFile = dataDir ? path.join(dataDir, OWNER_FILE) : null;
  if (ownerFile) fs.writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, url }));
  return {
    url,
    attached: false,
    async stop() {
      if (ownerFile) fs.rmSync(ownerFile, { force: true });
      await server.stop();
      await db.close();
    },
  };
}

async function runningOwner(dataDir: string): Promise<string | null> {
  const file = path.join(dataDir, OWNER_FILE);
  let owner: { pid: number; url: string };
  try {
    owner = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (owner.pid === process.pid || !isAlive(owner.pid)) return null;
  const { hostname, port } = new URL(owner.url);
  return (await canConnect(hostname, Number(port))) ? owner.url : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port }, () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
  });
}
