// Resident memory of a gateway on the embedded database (PGlite): starts the built
// gateway (`dist/src/main.js`) with DATABASE_URL unset in a fresh data directory,
// reads RSS from /proc right after /health answers, then again after an idle period;
// then starts it again on the same data directory (a later start: no initdb) and does the same.
// The gateway listens on a free port unless --port pins it; prints the table docs/deployment.md shows (one column per build).
// Usage: npm run -s build && node dist/bench/embedded-memory.js [--idle-seconds 60] [--runs 1] [--port 0]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import { parseArgs } from 'node:util';
import { markdownTable, portOption } from './support';

const { values } = parseArgs({
  options: { 'idle-seconds': { type: 'string', default: '60' }, runs: { type: 'string', default: '1' }, port: { type: 'string', default: '0' } },
});
const MAIN = path.resolve(__dirname, '../src/main.js');

function rssMb(pid: number): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function once(dataDir: string, idleSeconds: number): Promise<{ afterStart: number; peakDuringStart: number; idle: number; startSeconds: number }> {
  const port = portOption(values.port, 'port') || (await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env, GATEWAY_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const started = Date.now();
  let peak = 0;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error('the gateway exited during start-up');
      peak = Math.max(peak, rssMb(child.pid!));
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const startSeconds = (Date.now() - started) / 1000;
    const afterStart = rssMb(child.pid!);
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    return { afterStart, peakDuringStart: Math.max(peak, afterStart), idle: rssMb(child.pid!), startSeconds };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const idle = Number(values['idle-seconds']);
  const rows: string[][] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hgw-mem-'));
    try {
      for (const which of ['first start', 'later start']) {
        const r = await once(dataDir, idle);
        const run = Number(values.runs) > 1 ? ` (run ${i + 1})` : '';
        rows.push([
          `${which}${which === 'first start' ? ' (creates the database)' : ''}, when ready${run}`,
          `${r.afterStart} MB (peak ${r.peakDuringStart} MB)`,
          `${r.startSeconds.toFixed(1)} s`,
        ]);
        rows.push([`${which}, after ${idle} s idle${run}`, `${r.idle} MB`, '']);
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  process.stdout.write(markdownTable([{ title: '' }, { title: 'RSS' }, { title: 'ready in', right: true }], rows));
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
