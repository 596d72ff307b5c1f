import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
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
/** `pg` connects to `<host directory>/.s.PGSQL.<port>`; the port only names the file. */
const SOCKET_PORT = 5432;
/** Longest Unix socket path the kernel accepts is 107 bytes (108 with the NUL). */
const MAX_SOCKET_PATH = 100;

/**
 * Postgres defaults to 128 MB of shared buffers, which PGlite allocates inside its WASM
 * memory and touches: much of the embedded gateway's resident memory. 32 MB keeps a
 * quick-start-sized database's working set (PGlite reads through Node's fs, so evicted
 * pages still sit in the OS page cache); at 16 MB, syncs from two processes at once
 * slowed PGlite enough to miss sync heartbeats (test/sync-concurrency). Figures in
 * docs/deployment.md.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/**
 * PGlite (Postgres compiled to WASM) exposed over the Postgres wire protocol on a Unix
 * socket, so `pg` and TypeORM talk to it exactly as to a real server. PGlite has no
 * authentication (every client is the superuser), so the socket is the access control:
 * it lives in a directory of mode 0700 (under the data directory, else a private temp
 * directory), which only the gateway's user can enter. `dataDir` null keeps the
 * database in memory (tests).
 *
 * PGlite is single-process: a second process must never open the same directory.
 * The owner records its URL in the data directory (mode 0600), and a second process
 * of the same user (the CLI while the gateway runs) connects to it instead.
 */
export async function startEmbeddedPostgres(dataDir: string | null): Promise<EmbeddedPostgres> {
  if (dataDir) {
    const owner = await runningOwner(dataDir);
    if (owner) return { url: owner, attached: true, stop: async () => undefined };
  }
  applyPgliteSocketPatch();
  let db: PGlite;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const pgdata = path.join(dataDir, 'pgdata');
    if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) await initdbInChildProcess(pgdata);
    db = await PGlite.create(pgdata, { startParams: START_PARAMS });
  } else {
    db = await PGlite.create({ startParams: START_PARAMS });
  }
  const socketDir = privateSocketDir(dataDir);
  const socketPath = path.join(socketDir.path, `.s.PGSQL.${SOCKET_PORT}`);
  fs.rmSync(socketPath, { force: true }); // left behind by a process that was killed
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 32 });
  await server.start();
  const url = `postgresql://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(socketDir.path)}`;
  const ownerFile = dataDir ? path.join(dataDir, OWNER_FILE) : null;
  if (ownerFile) {
    fs.rmSync(ownerFile, { force: true }); // an older file may be world-readable: recreate it 0600
    fs.writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, url }), { mode: 0o600 });
  }
  return {
    url,
    attached: false,
    async stop() {
      if (ownerFile) fs.rmSync(ownerFile, { force: true });
      await server.stop();
      await db.close();
      fs.rmSync(socketPath, { force: true });
      if (socketDir.temporary) fs.rmSync(socketDir.path, { recursive: true, force: true });
    },
  };
}

/** `<dataDir>/run` (0700), or a fresh 0700 temp directory in memory mode or when that path is too long for a socket. */
function privateSocketDir(dataDir: string | null): { path: string; temporary: boolean } {
  if (dataDir) {
    const dir = path.join(dataDir, 'run');
    if (path.join(dir, `.s.PGSQL.${SOCKET_PORT}`).length <= MAX_SOCKET_PATH) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.chmodSync(dir, 0o700); // also when it already existed with other permissions
      return { path: dir, temporary: false };
    }
  }
  return { path: fs.mkdtempSync(path.join(os.tmpdir(), 'hgw-pg-')), temporary: true };
}

/**
 * Creates a new database (initdb) in a child process: initdb runs a second PGlite and
 * a second WASM module, and the memory they touch (~550 MB) is not returned to the OS
 * when they close, so the gateway would carry it for its whole life after a first start.
 */
async function initdbInChildProcess(pgdata: string): Promise<void> {
  fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  const script = `require(process.argv[1]).PGlite.create(process.argv[2]).then((db) => db.close()).catch((e) => { console.error(e); process.exit(1); });`;
  await promisify(execFile)(process.execPath, ['-e', script, require.resolve('@electric-sql/pglite'), pgdata], {
    env: { ...process.env, NODE_OPTIONS: '' },
    maxBuffer: 16 * 1024 * 1024,
  });
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
  const url = new URL(owner.url);
  const host = url.searchParams.get('host');
  // No socket directory: an owner of an older version, still on a loopback port.
  const target = host ? { path: path.join(host, `.s.PGSQL.${SOCKET_PORT}`) } : { host: url.hostname, port: Number(url.port) };
  return (await canConnect(target)) ? owner.url : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(target: { path: string } | { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(target, () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
  });
}
