import { StartupError } from '../src/config/config';
import { openDataSourceWithRetry } from '../src/database/data-source';
import { describeWithPostgresServer } from './support/database';

describeWithPostgresServer(__filename, 'asks a Postgres server for a database that does not exist')('start-up against DATABASE_URL', () => {
  it('a database that does not exist fails at once (exit code 2), naming DATABASE_URL without the password; no retrying', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.password = 'pw-never-shown';
    url.pathname = '/hgw_no_such_database';
    // An hour of retries would time the test out: only a permanent answer ends it.
    const e = (await openDataSourceWithRetry(url.toString(), 3600).catch((err: unknown) => err)) as StartupError;
    expect(e).toBeInstanceOf(StartupError);
    expect(e.exitCode).toBe(2);
    expect(e.variable).toBe('DATABASE_URL');
    expect(e.message).toContain(`Could not connect to the database in DATABASE_URL (postgresql://${url.username}@${url.host}/hgw_no_such_database): `);
    expect(e.message).toMatch(/does not exist/);
    expect(e.message).not.toContain('pw-never-shown');
  });
});
