import { createHmac } from 'node:crypto';
import { Receiver, startReceiver } from '../../sandbox-kit/testing';
import { BambooTestSandbox, bamboo, startBambooHrForTest } from './index';

/** Webhooks (NOTES §4.13): management, event payloads, signature, effective dating, retries. */
describe('BambooHR sandbox: webhooks', () => {
  let t: BambooTestSandbox;
  let rec: Receiver;

  beforeEach(async () => {
    t = await startBambooHrForTest({ employees: 8, seed: 6 });
    rec = await startReceiver('/hooks/bamboohr');
  });
  afterEach(async () => {
    await t.close();
    await rec.close();
  });

  const create = (body: Record<string, unknown>, key?: string) =>
    bamboo(t, '/webhooks', { method: 'POST', body: { name: 'gw', url: rec.url, format: 'json', ...body }, key });

  it('creates (privateKey once), lists, reads, replaces and deletes webhooks owned by the key', async () => {
    const r = await create({ events: ['employee.created', 'employee.updated', 'employee.deleted'], monitorFields: ['firstName'] });
    expect(r.status).toBe(201);
    expect(r.json).toEqual(
      expect.objectContaining({ id: expect.any(String), privateKey: expect.stringMatching(/^[0-9a-f]{48}$/), monitorFields: ['firstName'], lastSent: null }),
    );
    expect(r.json.created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const got = await bamboo(t, `/webhooks/${r.json.id}`);
    expect(got.json).not.toHaveProperty('privateKey');
    expect((await bamboo(t, '/webhooks')).json.webhooks).toEqual([expect.objectContaining({ id: r.json.id, url: rec.url })]);
    const other = t.sandbox.addApiKey();
    expect((await bamboo(t, '/webhooks', { key: other.key })).json.webhooks).toEqual([]);
    const denied = await bamboo(t, `/webhooks/${r.json.id}`, { key: other.key });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ errors: { error: `You do not have access to webhook ID: ${r.json.id}` } });
    const put = await bamboo(t, `/webhooks/${r.json.id}`, {
      method: 'PUT',
      body: { name: 'renamed', url: rec.url, format: 'form-encoded', events: ['employee.deleted'] },
    });
    expect(put.json).toEqual(expect.objectContaining({ name: 'renamed', format: 'form-encoded', monitorFields: null, postFields: {} }));
    expect(t.sandbox.webhooks()[0].privateKey).toBe(r.json.privateKey);
    const del = await bamboo(t, `/webhooks/${r.json.id}`, { method: 'DELETE' });
    expect([del.status, del.text]).toEqual([200, 'Web hook has been deleted.']);
    expect((await bamboo(t, `/webhooks/${r.json.id}`)).status).toBe(404);
  });

  it('validates the configuration', async () => {
    expect((await create({ format: 'xml' })).status).toBe(400);
    expect((await create({ url: 'http://example.com/hook', events: ['employee.deleted'] })).json.errors[0].issues[0]).toMatch(/https/);
    expect((await create({ events: ['employee.updated'] })).json.errors[0].issues[0]).toMatch(/monitorFields/);
    expect((await create({ events: ['employee.created', 'employee_with_fields.created'] })).status).toBe(400);
    expect((await create({ events: ['employee.updated'], monitorFields: ['shoeSize'] })).json.errors[0].unknownFields).toEqual([
      { id: null, name: 'shoeSize' },
    ]);
    expect((await bamboo(t, '/webhooks/monitor_fields')).json.fields).toEqual(
      expect.arrayContaining([
        { id: '1', name: 'First Name', alias: 'firstName' },
        { id: '4388', name: 'Badge number', alias: null },
      ]),
    );
  });

  it('sends signed event payloads: created then updated, updated only for monitored fields, deleted', async () => {
    const { json: hook } = await create({ events: ['employee.created', 'employee.updated', 'employee.deleted'], monitorFields: ['firstName', 'department'] });
    const { id } = t.sandbox.hire({ firstName: 'Ida', lastName: 'Ek' });
    t.sandbox.update(id, { mobilePhone: '+46 1' });
    t.sandbox.update(id, { firstName: 'Idun' });
    t.sandbox.remove(id);
    await t.sandbox.deliveriesIdle();
    const got = rec.received.map((r) => [r.body.type, r.body.data.changedFields]);
    expect(got).toEqual([
      ['employee.created', undefined],
      ['employee.updated', ['firstName']],
      ['employee.updated', ['firstName']],
      ['employee.deleted', undefined],
    ]);
    const first = rec.received[0];
    expect(first.body).toEqual({ type: 'employee.created', timestamp: expect.stringMatching(/\+0000$/), data: { companyId: '12345', employeeId: String(id) } });
    const ts = String(first.headers['x-bamboohr-timestamp']);
    expect(ts).toMatch(/^\d{10}$/);
    const raw = JSON.stringify(first.body);
    expect(first.headers['x-bamboohr-signature']).toBe(
      createHmac('sha256', hook.privateKey)
        .update(raw + ts)
        .digest('hex'),
    );
    expect(first.headers['user-agent']).toMatch(/^BambooHR-WebHooks/);
    const log = await bamboo(t, `/webhooks/${hook.id}/log`);
    expect(log.json).toHaveLength(4);
    expect(log.json[0]).toEqual(expect.objectContaining({ webhookId: hook.id, statusCode: '200', format: 'json', employeeIds: [String(id)] }));
    expect((await bamboo(t, `/webhooks/${hook.id}`)).json.lastSent).not.toBeNull();
  });

  it('fires for a future-dated table row only when it takes effect', async () => {
    await create({ events: ['employee.updated'], monitorFields: ['department'] });
    const id = t.sandbox.employeeIds()[2];
    t.sandbox.addTableRow(id, 'jobInfo', { date: '2026-12-10', department: 'Finance', jobTitle: 'Controller', division: 'DACH', location: 'Vienna' });
    await t.sandbox.deliveriesIdle();
    expect(rec.received).toHaveLength(0);
    t.sandbox.setClock(new Date('2026-12-10T06:00:00Z'));
    await t.sandbox.deliveriesIdle();
    expect(rec.received.map((r) => r.body.data.changedFields)).toEqual([['department']]);
  });

  it('form-encoded and legacy field-based payloads; retries per settings; other hosts are refused', async () => {
    await create({ format: 'form-encoded', events: ['employee.updated'], monitorFields: ['lastName'] });
    const id = t.sandbox.employeeIds()[1];
    t.sandbox.update(id, { lastName: 'Berg' });
    await t.sandbox.deliveriesIdle();
    expect(rec.received[0].body).toBe(
      `type=employee.updated&timestamp=${encodeURIComponent(String(new URLSearchParams(rec.received[0].body).get('timestamp')))}&data%5BcompanyId%5D=12345&data%5BemployeeId%5D=${id}&data%5BchangedFields%5D%5B0%5D=lastName`,
    );
    await bamboo(t, `/webhooks/${t.sandbox.webhooks()[0].id}`, { method: 'DELETE' });

    await create({ events: ['employee_with_fields.updated'], monitorFields: ['lastName'], postFields: { lastName: 'Surname', '4388': 'Badge' } });
    t.sandbox.setWebhookSettings({ retryDelaysMs: [20, 20] });
    rec.respond = (n) => (n <= 3 ? 500 : 200); // n counts every request this receiver got
    t.sandbox.update(id, { lastName: 'Bergström' });
    await t.sandbox.deliveriesIdle();
    expect(rec.received.slice(1).map((r) => r.body)).toEqual(
      Array(3).fill({
        employees: [
          {
            id: String(id),
            action: 'Updated',
            timestamp: expect.any(String),
            changedFields: ['Surname'],
            fields: { Surname: { value: 'Bergström' }, Badge: { value: t.sandbox.employee(id)['4388'] } },
          },
        ],
      }),
    );
    expect(
      t.sandbox
        .deliveries()
        .slice(-3)
        .map((d) => [d.attempt, d.status]),
    ).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    t.sandbox.setWebhookSettings({ allowedHosts: ['hooks.example.com'] });
    t.sandbox.update(id, { lastName: 'Berg' });
    await t.sandbox.deliveriesIdle();
    expect(t.sandbox.deliveries().at(-1)!.error).toMatch(/allowedHosts/);
  });
});
