import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { freePort, runEntry } from './support/process';

/** A first start's key box must be on the first screen of a terminal. */
const FIRST_SCREEN_LINES = 25;
const KEY = /API key: (hgw_[A-Za-z0-9]{40})/;

/** Generous: each start compiles the sources (swc) and PGlite's WASM, on a shared machine. */
const SLOW = 180_000;
const mode = (p: string) => fs.statSync(p).mode & 0o777;
const kidOfKeyFile = (file: string) =>
  createHash('sha256')
    .update(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'))
    .digest('hex')
    .slice(0, 8);

/** The gateway as operators run it (`node …/main.js`), in its own process, on the embedded database. */
describe('gateway process start-up', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hgw-start-'));
  const started: ReturnType<typeof runEntry>[] = [];
  afterAll(() => {
    for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (extra: Record<string, string> = {}) => {
    const port = await freePort();
    const gw = runEntry('src/main.ts', { GATEWAY_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ALLOW_PRIVATE_NETWORK_TARGETS: 'true', ...extra });
    started.push(gw);
    return { gw, url: `http://127.0.0.1:${port}` };
  };
  const stop = async (gw: ReturnType<typeof runEntry>) => {
    gw.child.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
  };

  it(
    'first start: the key box within the first screen, no route mapping; the database only on a private socket; the CLI attaches',
    async () => {
      const { gw, url } = await start();
      await gw.waitForLine(/gateway listening/);
      const keyLine = gw.stdout.findIndex((l) => KEY.test(l));
      expect(keyLine).toBeGreaterThanOrEqual(0);
      expect(keyLine).toBeLessThan(FIRST_SCREEN_LINES);
      // The start-up lines the loggers buffer are written before the box, not after it.
      const migrated = gw.stdout.findIndex((l) => l.includes('"migrations applied"'));
      expect(migrated).toBeGreaterThanOrEqual(0);
      expect(migrated).toBeLessThan(keyLine);
      const all = [...gw.stdout, ...gw.stderr].join('\n');
      expect(all).not.toMatch(/Mapped \{|RoutesResolver|InstanceLoader/);
      const key = KEY.exec(gw.stdout[keyLine])![1];
      await request(url).get('/v1/check-api-key').set('Authorization', `Bearer ${key}`).expect(200);
      // A stored secret, for the restart with another key below.
      await request(url).post('/v1/webhooks/endpoints').set('Authorization', `Bearer ${key}`).send({ url: 'http://127.0.0.1:9/hook' }).expect(201);

      // PGlite has no passwords: the socket's 0700 directory is what keeps other local users out.
      const owner = JSON.parse(fs.readFileSync(path.join(dataDir, 'embedded-postgres.json'), 'utf8')) as { url: string };
      expect(mode(path.join(dataDir, 'embedded-postgres.json'))).toBe(0o600);
      const socketDir = new URL(owner.url).searchParams.get('host')!;
      expect(socketDir).toBe(path.join(dataDir, 'run'));
      expect(mode(socketDir)).toBe(0o700);
      expect(fs.readdirSync(socketDir)).toEqual(['.s.PGSQL.5432']);
      if (process.getuid?.() === 0) {
        // Another user (nobody) cannot reach the socket; as root the test can take that user's place.
        const probe = `require('net').connect(${JSON.stringify(path.join(socketDir, '.s.PGSQL.5432'))}).on('connect', () => { console.log('CONNECTED'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); });`;
        const other = spawnSync(process.execPath, ['-e', probe], { uid: 65534, gid: 65534, encoding: 'utf8' });
        expect(other.stdout.trim()).toBe('EACCES');
      }

      // The CLI attaches to the running gateway's database instead of opening its files.
      const cli = runEntry('src/cli.ts', { GATEWAY_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, ['api-keys', 'list']);
      expect(await cli.exited).toBe(0);
      expect(cli.stdout.join('\n')).toContain(key.slice(0, 12));
      await stop(gw);
    },
    SLOW,
  );

  it(
    'a later start prints no key but says how to create one with the CLI',
    async () => {
      const { gw } = await start();
      await gw.waitForLine(/gateway listening/);
      expect(gw.stdout.join('\n')).not.toMatch(KEY);
      expect(gw.stdout.join('\n')).toContain('npm run cli -- api-keys create --environment default');
      await stop(gw);
    },
    SLOW,
  );

  it(
    'refuses to start with another ENCRYPTION_KEY, naming the variable and the key id, without a stack trace',
    async () => {
      const expectedKid = kidOfKeyFile(path.join(dataDir, 'encryption.key'));
      const { gw } = await start({ ENCRYPTION_KEY: randomBytes(32).toString('base64') });
      expect(await gw.exited).toBe(2);
      const err = gw.stderr.join('\n');
      expect(err).toContain(`key id ${expectedKid} (1 webhook endpoint secrets)`);
      expect(err).toMatch(/ENCRYPTION_KEY\b.*ENCRYPTION_KEYS_PREVIOUS/);
      expect(err).not.toMatch(/^\s+at /m);
    },
    SLOW,
  );

  it(
    'refuses an unknown LOG_LEVEL with exit code 2, naming the variable, without a stack trace',
    async () => {
      const { gw } = await start({ LOG_LEVEL: 'verbose' });
      expect(await gw.exited).toBe(2);
      const err = gw.stderr.join('\n');
      expect(err).toContain('LOG_LEVEL');
      expect(err).toContain('verbose');
      expect(err).not.toMatch(/^\s+at /m);
    },
    SLOW,
  );

  it(
    'waits for an unreachable DATABASE_URL with backoff, then exits naming the variable and the address without its password',
    async () => {
      const closedPort = await freePort();
      const { gw } = await start({
        DATABASE_URL: `postgresql://gateway:s3cret-pw@127.0.0.1:${closedPort}/hris`,
        DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      });
      expect(await gw.exited).toBe(1); // not 2: a restart may find the database back
      const err = gw.stderr.join('\n');
      expect(err).toContain(
        `Could not connect to the database in DATABASE_URL (postgresql://gateway@127.0.0.1:${closedPort}/hris) within 2 s (DATABASE_CONNECT_TIMEOUT_SECONDS)`,
      );
      expect(err).not.toMatch(/^\s+at /m);
      const all = [...gw.stdout, ...gw.stderr].join('\n');
      expect(all).not.toContain('s3cret-pw');
      expect(gw.stdout.filter((l) => l.includes('database not reachable yet; retrying')).length).toBeGreaterThanOrEqual(2);
    },
    SLOW,
  );
});
