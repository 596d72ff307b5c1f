import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** Requires a TypeScript entry point of the project, compiled on the fly by swc (no build needed). */
const register = (entry: string) => `
  const swc = require('@swc/core'); const fs = require('fs');
  require.extensions['.ts'] = (m, filename) => m._compile(swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename, module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
  }).code, filename);
  process.argv.splice(1, 0, ${JSON.stringify(entry)});
  require(${JSON.stringify(entry)});`;

export interface RunningProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Waits until a stdout or stderr line matches. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * Runs `src/main.ts` or `src/cli.ts` as its own process with exactly `env` (plus PATH),
 * collecting its output line by line.
 */
export function runEntry(entry: 'src/main.ts' | 'src/cli.ts', env: Record<string, string>, args: string[] = [], opts: SpawnOptions = {}): RunningProcess {
  const child = spawn(process.execPath, ['-e', register(path.join(ROOT, entry)), '--', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...opts,
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const collect = (into: string[]) => {
    let rest = '';
    return (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        into.push(line);
        for (const w of waiters.filter((w) => w.re.test(line))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    };
  };
  child.stdout!.on('data', collect(stdout));
  child.stderr!.on('data', collect(stderr));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout,
    stderr,
    exited,
    waitForLine(re, timeoutMs = 150_000) {
      const seen = [...stdout, ...stderr].find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms; stderr:\n${stderr.join('\n')}`)), timeoutMs);
        waiters.push({ re, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then((code) => reject(new Error(`exited with ${code} before a line matched ${re}; stderr:\n${stderr.join('\n')}`)));
      });
    },
  };
}

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
