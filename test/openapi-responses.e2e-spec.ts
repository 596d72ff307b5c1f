import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkResponsesAgainstOpenApi, OpenApiResponses, takeResponseMismatches } from './support/openapi-responses';

/** The checker every test gateway runs (test/support/openapi-responses.ts) catches what it should, and only that. */
describe('response validation against openapi/openapi.json', () => {
  const doc = new OpenApiResponses();
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const group = {
    id: 'g1',
    remote_id: '1',
    name: 'Sales',
    changed_at: '2025-01-01T00:00:00.000Z',
    remote_deleted_at: null,
    type: null,
    parent_id: null,
    remote_data: null,
  };
  const groups = (results: unknown[]) => json({ status: 'success', data: { next: null, results } });
  const error = (code: string) => json({ status: 'error', error: { code, title: null, message: 'm', log_url: null } });

  it('accepts a documented response and ignores routes the document does not have', () => {
    expect(doc.check('GET', '/v1/hris/groups?page_size=5', 200, 'application/json; charset=utf-8', groups([group]))).toBeNull();
    expect(doc.check('GET', '/v1/hris/groups', 401, 'application/json', error('PLATFORM.AUTHENTICATION_INVALID'))).toBeNull();
    expect(doc.check('GET', '/health', 200, 'text/plain', Buffer.from('ok'))).toBeNull();
    expect(doc.check('DELETE', '/v1/hris/groups', 404, 'text/html', Buffer.from('<html>'))).toBeNull();
  });

  it('matches literal paths before templates', () => {
    expect(doc.operationFor('POST', '/v1/webhooks/redeliver-failed')?.template).toBe('/webhooks/redeliver-failed');
    expect(doc.operationFor('GET', '/v1/integrations/personio:abc/syncs/s1')?.template).toBe('/integrations/{integration_id}/syncs/{sync_id}');
  });

  it('reports a body that breaks the schema, with the path of the offending value', () => {
    const { name: _name, ...noName } = group;
    const m = doc.check('GET', '/v1/hris/groups', 200, 'application/json', groups([noName, { ...group, type: 'SQUAD' }]));
    expect(m?.operation).toBe('GET /hris/groups');
    expect(m?.problem).toContain("/data/results/0 must have required property 'name'");
    expect(m?.problem).toContain('/data/results/1/type must be equal to one of the allowed values');
  });

  it('reports an error code the operation does not document, a content type it does not answer, and a body that is not JSON', () => {
    expect(doc.check('GET', '/v1/hris/groups', 409, 'application/json', error('PLATFORM.CONFLICT'))?.problem).toContain('/error/code');
    expect(doc.check('GET', '/v1/hris/groups', 200, 'text/html', Buffer.from('<html>'))?.problem).toContain('content type "text/html" is not documented');
    expect(doc.check('GET', '/v1/hris/groups', 200, 'application/json', Buffer.from('{"status":'))?.problem).toContain('body is not JSON');
  });

  it('the server hook sees bodies written in chunks and hands each mismatch over once', async () => {
    const server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      const body = groups([{ ...group, changed_at: 42 }]);
      res.write(body.subarray(0, 10));
      res.end(body.subarray(10));
    });
    checkResponsesAgainstOpenApi(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/hris/groups?page_size=1`);
      expect(res.status).toBe(200);
      await res.text();
    } finally {
      await new Promise((r) => server.close(r));
    }
    const found = takeResponseMismatches();
    expect(found).toContain('GET /v1/hris/groups?page_size=1 → 200 (operation GET /hris/groups)');
    expect(found).toContain('/data/results/0/changed_at must be string; got 42');
    expect(takeResponseMismatches()).toBeNull();
  });
});
