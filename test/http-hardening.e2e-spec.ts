import { connect } from 'node:net';
import request from 'supertest';
import { DocumentsWorld, startDocumentsWorld } from './documents.helpers';

/** Sends raw bytes and resolves with everything the server answers before it closes or `ms` pass. */
function raw(url: string, bytes: string, opts: { keepOpen?: boolean } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let got = '';
    socket.on('data', (d) => {
      got += d.toString('utf8');
      // Complete once the announced body is in (the server may keep the socket open while it waits for more of ours).
      const m = /\r\n\r\n([\s\S]*)$/.exec(got);
      const len = /content-length: (\d+)/i.exec(got);
      if (opts.keepOpen && m && len && Buffer.byteLength(m[1]) >= Number(len[1])) {
        socket.destroy();
        resolve(got);
      }
    });
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

const bodyOf = (response: string) =>
  JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { status: string; error: { code: string; message: string } };

/**
 * Issue #17, the HTTP layer: hostile input is a 400 naming the parameter (never a 500),
 * cursors cannot be forged, an unauthenticated client cannot make the gateway read a
 * large body, and 401s from one address are rate-limited.
 */
describe('HTTP hardening', () => {
  let w: DocumentsWorld;
  const auth = () => ({ ...w.auth });
  const scoped = () => ({ ...w.auth, 'X-Integration-Id': w.integrationId });
  const expectInvalid = (res: request.Response, naming: RegExp) => {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'error', error: { code: 'PLATFORM.INPUT_INVALID' } });
    expect(res.body.error.message).toMatch(naming);
  };

  beforeAll(async () => {
    w = await startDocumentsWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  describe('U+0000, lone surrogates and deep nesting are refused by one gate', () => {
    it('NUL in a query value names the parameter', async () => {
      expectInvalid(await request(w.gw.url).get('/v1/hris/employees?remote_ids=%00').set(scoped()), /remote_ids contains a NUL/);
      expectInvalid(await request(w.gw.url).get('/v1/webhooks/events?type=a%00b').set(auth()), /type contains a NUL/);
    });

    it('NUL in a path parameter (met by a guard before any pipe)', async () => {
      expectInvalid(await request(w.gw.url).get('/v1/integrations/x%00y').set(auth()), /path segment .*NUL/);
    });

    it('NUL and lone surrogates in body values and names', async () => {
      const post = (body: string) => request(w.gw.url).post('/v1/connect/create-link').set(auth()).set('Content-Type', 'application/json').send(body);
      expectInvalid(await post('{"end_user_email":"a@b.c","end_user_organization_name":"x\\u0000y"}'), /end_user_organization_name contains a NUL/);
      expectInvalid(
        await post('{"end_user_email":"\\ud800@example.com","end_user_organization_name":"x"}'),
        /end_user_email contains an unpaired UTF-16 surrogate/,
      );
      expectInvalid(await post('{"a\\u0000":1}'), /field name .*NUL/);
    });

    it('a 5,000-deep array is refused before the validator recurses into it', async () => {
      const deep = `{"end_user_email":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      expectInvalid(
        await request(w.gw.url).post('/v1/connect/create-link').set(auth()).set('Content-Type', 'application/json').send(deep),
        /nested more than 32 levels/,
      );
    });

    it('the document route applies the same gate to its streamed body', async () => {
      const res = await request(w.gw.url)
        .post(`/v1/hris/employees/${w.employeeId(1)}/documents`)
        .set(scoped())
        .set('Content-Type', 'application/json')
        .send(`{"category_id":"x\\u0000","document":{"name":"a.pdf","content_type":"application/pdf","data":"QQ=="}}`);
      expectInvalid(res, /category_id contains a NUL/);
      const deep = await request(w.gw.url)
        .post(`/v1/hris/employees/${w.employeeId(1)}/documents`)
        .set(scoped())
        .set('Content-Type', 'application/json')
        .send(`{"category_id":${'['.repeat(5000)}${']'.repeat(5000)}}`);
      expectInvalid(deep, /nested more than 32 levels/);
    });
  });

  it('an empty list filter matches nothing instead of breaking the SQL (found by the fuzz test)', async () => {
    const res = await request(w.gw.url).get('/v1/hris/groups?types=&name_contains=w').set(scoped()).expect(200);
    expect(res.body.data.results).toEqual([]);
  });

  describe('null only where the schema documents it', () => {
    it('document.content_type and document.data', async () => {
      const post = (doc: Record<string, unknown>) =>
        request(w.gw.url)
          .post(`/v1/hris/employees/${w.employeeId(1)}/documents`)
          .set(scoped())
          .send({ category_id: w.categoryId('Other documents'), document: { name: 'a.pdf', ...doc } });
      expectInvalid(await post({ content_type: null, data: 'QQ==' }), /document\.content_type must not be null/);
      expectInvalid(await post({ content_type: 'application/pdf', data: null }), /document\.data must not be null/);
    });

    it('events on PATCH webhook endpoint', async () => {
      expectInvalid(await request(w.gw.url).patch('/v1/webhooks/endpoints/nope').set(auth()).send({ events: null }), /events must not be null/);
    });
  });

  it('a body Content-Encoding says gzip but that is not gzip is a 400', async () => {
    const res = await request(w.gw.url)
      .post('/v1/connect/create-link')
      .set(auth())
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"a":1}');
    expectInvalid(res, /gzip/);
    const doc = await request(w.gw.url)
      .post(`/v1/hris/employees/${w.employeeId(1)}/documents`)
      .set(scoped())
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"a":1}');
    expectInvalid(doc, /gzip/);
  });

  it('a 400 KB array body gets a short error that lists the first problems and counts the rest', async () => {
    const asArray = JSON.stringify(Array.from({ length: 100_000 }, () => ({})));
    const unknownKeys = JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`field_${i}`, 1])));
    for (const body of [asArray, unknownKeys]) {
      expect(body.length).toBeGreaterThan(300_000);
      const res = await request(w.gw.url).post('/v1/webhooks/endpoints').set(auth()).set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('PLATFORM.INPUT_INVALID');
      expect(res.text.length).toBeLessThan(4000);
    }
  });

  describe('cursors are signed and bound to their list and filters', () => {
    const forged = (text: string) => Buffer.from(text).toString('base64url');

    it('refuses cursors that decode to values Postgres would reject', async () => {
      expectInvalid(
        await request(w.gw.url)
          .get(`/v1/webhooks/events?cursor=${forged('2024|x')}`)
          .set(auth()),
        /cursor is malformed/,
      );
      expectInvalid(
        await request(w.gw.url)
          .get(`/v1/hris/document-uploads?cursor=${forged('{"at":"2024","id":"x"}')}`)
          .set(scoped()),
        /cursor is malformed/,
      );
      expectInvalid(
        await request(w.gw.url)
          .get(`/v1/integrations/${w.integrationId}/syncs?cursor=${forged('["2024","x"]')}`)
          .set(auth()),
        /cursor is malformed/,
      );
    });

    it('pages with its own cursor, refuses it with other filters and refuses a tampered one', async () => {
      const first = await request(w.gw.url).get('/v1/hris/employees?page_size=3').set(scoped()).expect(200);
      const next = first.body.data.next as string;
      expect(next).toMatch(/^[\w-]+\.[\w-]{43}$/);
      const second = await request(w.gw.url).get(`/v1/hris/employees?page_size=3&cursor=${next}`).set(scoped()).expect(200);
      expect(second.body.data.results[0].id).not.toBe(first.body.data.results[0].id);
      expectInvalid(await request(w.gw.url).get(`/v1/hris/employees?page_size=3&cursor=${next}&work_emails=x@example.com`).set(scoped()), /other filters/);
      const [payload, mac] = next.split('.');
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown[];
      body[2] = '';
      const tampered = `${Buffer.from(JSON.stringify(body)).toString('base64url')}.${mac}`;
      expectInvalid(await request(w.gw.url).get(`/v1/hris/employees?page_size=3&cursor=${tampered}`).set(scoped()), /cursor is malformed/);
    });
  });

  it('answers a request the HTTP parser refuses in the error envelope', async () => {
    const res = await raw(w.gw.url, 'GET /v1/check-api-key HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    expect(res).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(res)).toMatchObject({ status: 'error', error: { code: 'PLATFORM.INPUT_INVALID' } });
  });

  it('authenticates a document upload before reading its body', async () => {
    // 44 MB announced, a few bytes sent: the 401 must come without waiting for the rest.
    const path = `/v1/hris/employees/${w.employeeId(1)}/documents`;
    const res = await raw(
      w.gw.url,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${44 * 1024 * 1024}\r\n\r\n{"category_id":"`,
      { keepOpen: true },
    );
    expect(res).toMatch(/^HTTP\/1\.1 401 /);
    expect(bodyOf(res).error.code).toBe('PLATFORM.AUTHENTICATION_INVALID');
  });

  it('decodes document.data as it arrives: bad base64 is refused before the body is complete', async () => {
    const path = `/v1/hris/employees/${w.employeeId(1)}/documents`;
    const start = `{"category_id":"x","document":{"name":"a.pdf","content_type":"application/pdf","data":"${'QUJD'.repeat(20_000)}!!`;
    const res = await raw(
      w.gw.url,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${w.gw.apiKey}\r\nX-Integration-Id: ${w.integrationId}\r\nContent-Type: application/json\r\nContent-Length: ${20 * 1024 * 1024}\r\n\r\n${start}`,
      { keepOpen: true },
    );
    expect(res).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(res).error.message).toMatch(/document\.data is not valid base64/);
  });

  it('refuses an over-limit upload by its Content-Length, before reading it', async () => {
    const path = `/v1/hris/employees/${w.employeeId(1)}/documents`;
    const res = await raw(
      w.gw.url,
      `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${w.gw.apiKey}\r\nX-Integration-Id: ${w.integrationId}\r\nContent-Type: application/json\r\nContent-Length: ${46 * 1024 * 1024}\r\n\r\n{`,
      { keepOpen: true },
    );
    expect(res).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('rate-limits 401s per client address, then refuses without touching the database', async () => {
    const bad = () => request(w.gw.url).get('/v1/check-api-key').set('Authorization', 'Bearer hgw_0000000000000000000000000000000000000000');
    let status = 401;
    let sent = 0;
    while (status === 401 && sent < 100) {
      status = (await bad()).status;
      sent++;
    }
    expect(sent).toBeGreaterThan(5);
    const limited = await bad();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('PLATFORM.RATE_LIMIT_EXCEEDED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The shared counter is gone, yet the address stays refused: the check is in memory.
    await w.gw.ds.query(`DELETE FROM attempt_windows WHERE key LIKE 'api-auth:%'`);
    expect((await bad()).status).toBe(429);
  });
});
