import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { ConnectorError, type ConnectorContext, type HrisConnector, type TrainingRecord } from '../connectors/connector';
import { createPersonioConnector } from '../connectors/personio/connector';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { writeActionCoverage } from '../src/tools/coverage';
import { certificatePdf, DocumentsWorld, startDocumentsWorld } from './documents.helpers';
import { startTestGateway, TestGateway } from './support/gateway';

/**
 * POST /v1/hris/employees/{id}/trainings (our extension): the gateway's side of
 * training write-back, against a connector that implements writeTraining, and
 * Personio (no training records) through the real registry.
 */

interface Written {
  employeeRemoteId: string;
  training: TrainingRecord;
  ctx: ConnectorContext<unknown>;
}

/** A connector with training records: Personio's reads, small upload rules, and a recorded writeTraining. */
function trainingConnector(written: Written[], fail: { next?: Error } = {}): HrisConnector<unknown> {
  const base = createPersonioConnector() as HrisConnector<unknown>;
  return {
    ...base,
    tool: { ...base.tool, coverage: { ...base.tool.coverage, write: { ...base.tool.coverage.write, trainings: true } } },
    uploadRules: { extensions: ['pdf', 'png'], maxBytes: 4096, maxTitleLength: 100 },
    async writeTraining(ctx, employeeRemoteId, training) {
      if (fail.next) {
        const e = fail.next;
        fail.next = undefined;
        throw e;
      }
      written.push({ employeeRemoteId, training, ctx });
      return { remote_id: `tr-${written.length}` };
    },
  };
}

describe('training write-back: a tool with training records', () => {
  let w: DocumentsWorld;
  let files: Server;
  let filesUrl = '';
  const written: Written[] = [];
  const fail: { next?: Error } = {};
  const pdf = certificatePdf('GDPR basics', '2026-03-14');
  const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(32, 1)]);

  beforeAll(async () => {
    // The integration's tool gets a connector that writes trainings (Personio's does not).
    w = await startDocumentsWorld({ connector: trainingConnector(written, fail) });
    files = createServer((req, res) => {
      if (req.url === '/cert.pdf') return void res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    files?.closeAllConnections();
    if (files?.listening) await new Promise((r) => files.close(r));
    await w?.close();
  });
  beforeEach(() => {
    written.length = 0;
  });

  const remote = () => w.sandbox.employeeIds()[0];
  const url = (employee?: string) => `/v1/hris/employees/${employee ?? w.employeeId(remote())}/trainings`;
  const post = (body: unknown, headers: Record<string, string> = {}, employee?: string) =>
    request(w.gw.url)
      .post(url(employee))
      .set(w.auth)
      .set(headers)
      .send(body as object);
  const course = (extra: Record<string, unknown> = {}) => ({ name: 'GDPR basics', completed_at: '2026-03-14', ...extra });
  const certificate = (extra: Record<string, unknown> = {}) => ({
    name: 'GDPR basics.pdf',
    content_type: 'application/pdf',
    data: pdf.toString('base64'),
    ...extra,
  });

  async function refused(res: request.Response, message: RegExp, status = 400, code = 'PLATFORM.INPUT_INVALID'): Promise<void> {
    expect({ status: res.status, envelope: res.body.status, code: res.body.error?.code }).toEqual({ status, envelope: 'error', code });
    expect(res.body.error.message).toMatch(message);
    expect(written).toHaveLength(0);
  }

  it("writes a completed course: the connector gets the mapped TrainingRecord for the employee's HRIS id", async () => {
    const res = await post(course({ completed_at: '2026-03-14T23:30:00-05:00', hours: 1.5, credits: 2, notes: '  Passed with 92 %  ' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'success',
      data: { employee_id: w.employeeId(remote()), name: 'GDPR basics', completed_on: '2026-03-14', remote_id: 'tr-1' },
      warnings: [],
    });
    expect(written).toHaveLength(1);
    expect(written[0].employeeRemoteId).toBe(String(remote()));
    // The date part as written (in the caller's time zone), not the UTC day (which is the 15th).
    expect(written[0].training).toEqual({ name: 'GDPR basics', completedOn: '2026-03-14', hours: 1.5, credits: 2, notes: 'Passed with 92 %' });
    // The integration's own credentials and origin reach the connector.
    expect(written[0].ctx.baseUrl).toBe(w.sandbox.url);
    expect(written[0].ctx.credentials).toEqual({ clientId: w.credential.clientId, clientSecret: w.credential.clientSecret });
  });

  it('leaves out what the caller did not send (hours, credits, notes, certificate)', async () => {
    const res = await post(course({ hours: 0 }));
    expect(res.status).toBe(200);
    expect(written[0].training).toEqual({ name: 'GDPR basics', completedOn: '2026-03-14', hours: 0 });
  });

  it('attaches a base64 certificate (streamed like a document), with its category and the completion date', async () => {
    const res = await post(course({ certificate: certificate({ category_id: w.categoryId('Learning certificates') }) }));
    expect(res.status).toBe(200);
    const cert = written[0].training.certificate!;
    expect(Buffer.compare(cert.bytes, pdf)).toBe(0);
    expect(cert).toMatchObject({
      fileName: 'GDPR basics.pdf',
      contentType: 'application/pdf',
      categoryRemoteId: String(w.categoryRemoteId('Learning certificates')),
      date: '2026-03-14',
    });
  });

  it('downloads a certificate from its data_url', async () => {
    const res = await post(course({ certificate: { name: 'cert.pdf', data_url: `${filesUrl}/cert.pdf` } }));
    expect(res.status).toBe(200);
    const cert = written[0].training.certificate!;
    expect(Buffer.compare(cert.bytes, pdf)).toBe(0);
    expect(cert.contentType).toBe('application/pdf');
    expect(cert.categoryRemoteId).toBeUndefined();
  });

  it.each([
    ['no name', { name: undefined }, /name/],
    ['a blank name', { name: '   ' }, /name must not be empty/],
    ['a name of 256 characters', { name: 'x'.repeat(256) }, /name must be shorter than or equal to 255 characters/],
    ['no completed_at', { completed_at: undefined }, /completed_at/],
    ['a completed_at that is no date', { completed_at: 'yesterday' }, /completed_at must be a date/],
    ['a day that does not exist', { completed_at: '2026-02-30' }, /completed_at "2026-02-30" is not a date/],
    ['an impossible time', { completed_at: '2026-03-14T25:00:00Z' }, /completed_at .* is not a date/],
    ['negative hours', { hours: -1 }, /hours must not be less than 0/],
    ['credits as text', { credits: '2' }, /credits must be a number/],
    ['notes of 2001 characters', { notes: 'n'.repeat(2001) }, /notes must be shorter than or equal to 2000 characters/],
    ['an unknown field', { score: 92 }, /score/],
    [
      'a certificate with both data and data_url',
      { certificate: certificate({ data_url: `${filesUrl}/cert.pdf` }) },
      /certificate needs exactly one of data.*both/,
    ],
    [
      'a certificate without content_type',
      { certificate: certificate({ content_type: undefined }) },
      /certificate\.content_type is required when certificate\.data is given/,
    ],
    ['a certificate of an unknown category', { certificate: certificate({ category_id: 'nope' }) }, /no document category with the ID "nope"/],
  ])('refuses %s with PLATFORM.INPUT_INVALID in the error envelope', async (_label, change, message) => {
    await refused(await post(course(change)), message);
  });

  it.each([
    [
      'larger than the tool accepts',
      () => certificate({ data: Buffer.concat([pdf, Buffer.alloc(5000, 32)]).toString('base64') }),
      /the document is .*the HRIS accepts files at most/,
    ],
    [
      'of a file type the tool does not accept',
      () => certificate({ name: 'GDPR basics.docx' }),
      /certificate\.name has the file type "\.docx", which the HRIS does not accept/,
    ],
    ['whose bytes are not what it claims to be', () => certificate({ data: PNG.toString('base64') }), /certificate\.data is not a PDF file .*PNG/],
    ['that is not base64', () => certificate({ data: 'JVBERi0xLjQK$$$' }), /certificate\.data is not valid base64/],
  ])('refuses a certificate %s before anything is written', async (_label, cert, message) => {
    await refused(await post(course({ certificate: cert() })), message);
  });

  it("reads certificate.data as it streams in, like document.data: past the ordinary 1 MB body limit, up to the tool's own size rule", async () => {
    const big = Buffer.concat([pdf, Buffer.alloc(1536 * 1024, 32)]);
    await refused(
      await post(course({ certificate: certificate({ data: big.toString('base64') }) })),
      /the document is 1\.5 MB .*the HRIS accepts files at most/,
    );
  });

  it('refuses a data_url certificate the tool would not accept', async () => {
    await refused(await post(course({ certificate: { name: 'cert.pdf', data_url: `${filesUrl}/missing.pdf` } })), /certificate\.data_url answered HTTP 404/);
  });

  it('answers an unknown or deleted employee as the document endpoint does', async () => {
    await refused(await post(course(), {}, 'no-such-employee'), /no employee with the ID "no-such-employee"/);
    const deleted = w.sandbox.employeeIds()[1];
    await w.gw.ds.query(`UPDATE hris_employees SET remote_deleted_at = now() WHERE integration_id = $1 AND remote_id = $2`, [w.integrationId, String(deleted)]);
    await refused(await post(course(), {}, w.employeeId(deleted)), /has been deleted in the HRIS/);
  });

  it('refuses an Idempotency-Key rather than ignoring it (the route keeps no record to replay)', async () => {
    await refused(await post(course(), { 'Idempotency-Key': 'k-1' }), /does not take an Idempotency-Key/);
  });

  it.each([
    ['UPSTREAM_INVALID_INPUT', 422, 400, 'REMOTE.INPUT_INVALID'],
    ['AUTH_FAILED', 401, 403, 'INTEGRATION.AUTHENTICATION_INVALID'],
    ['RATE_LIMITED', 429, 429, 'REMOTE.RATE_LIMIT_EXCEEDED'],
  ])('maps a connector %s failure (upstream %s) like the document endpoint (%s %s)', async (kind, upstream, status, code) => {
    fail.next = new ConnectorError(kind as ConnectorError['kind'], 'The HRIS said no.', { status: upstream });
    const res = await post(course());
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status, code });
    expect(res.body.error.message).toMatch(/The HRIS said no/);
  });

  it('requires the API key before it reads the body', async () => {
    const unauth = await request(w.gw.url)
      .post(url())
      .set('X-Integration-Id', w.integrationId)
      .set('Content-Type', 'application/json')
      .send('{"name": "not json');
    expect({ status: unauth.status, code: unauth.body.error?.code }).toEqual({ status: 401, code: 'PLATFORM.AUTHENTICATION_INVALID' });
    // The same body with the key is read, and refused as the broken JSON it is.
    const authed = await request(w.gw.url).post(url()).set(w.auth).set('Content-Type', 'application/json').send('{"name": "not json');
    expect({ status: authed.status, code: authed.body.error?.code }).toEqual({ status: 400, code: 'PLATFORM.INPUT_INVALID' });
    expect(written).toHaveLength(0);
  });

  it('requires X-Integration-Id', async () => {
    const res = await request(w.gw.url).post(url()).set('Authorization', w.auth.Authorization).send(course());
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'PLATFORM.INPUT_INVALID' });
    expect(res.body.error.message).toMatch(/X-Integration-Id/);
    expect(written).toHaveLength(0);
  });

  it('lists the action as SUPPORTED in the coverage of a tool with training records', () => {
    const tool = trainingConnector([]).tool;
    expect(writeActionCoverage(tool).find((a) => a.id === 'hris_add_employee_training')).toMatchObject({ coverage_status: 'SUPPORTED' });
  });
});

describe('training write-back: a tool without training records (Personio, through the registry)', () => {
  let gw: TestGateway;
  let integrationId = '';
  let auth: Record<string, string> = {};

  beforeAll(async () => {
    gw = await startTestGateway({ role: 'api' });
    const integration = await gw.app.get(IntegrationsService).create({
      environmentId: gw.environmentId,
      tool: 'personio',
      credentials: { clientId: 'id', clientSecret: 'secret' },
      baseUrl: 'http://127.0.0.1:9',
      endUserOrganizationName: 'Acme GmbH',
    });
    integrationId = integration.id;
    await gw.ds.query(`UPDATE integrations SET first_sync_completed_at = now(), setup_status = 'COMPLETED' WHERE id = $1`, [integrationId]);
    auth = { Authorization: `Bearer ${gw.apiKey}`, 'X-Integration-Id': integrationId };
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers INTEGRATION.ACTION_NOT_AVAILABLE (501)', async () => {
    const res = await request(gw.url).post('/v1/hris/employees/any/trainings').set(auth).send({ name: 'GDPR basics', completed_at: '2026-03-14' });
    expect({ status: res.status, envelope: res.body.status, code: res.body.error?.code }).toEqual({
      status: 501,
      envelope: 'error',
      code: 'INTEGRATION.ACTION_NOT_AVAILABLE',
    });
    expect(res.body.error.message).toMatch(/not available for personio integrations/);
  });

  it('says so in the coverage of GET /v1/tools/hris and of the integration', async () => {
    const tools = await request(gw.url).get('/v1/tools/hris').set('Authorization', auth.Authorization);
    const personio = tools.body.data.tools.find((t: { id: string }) => t.id === 'personio');
    expect(personio.coverage.write_actions.find((a: { id: string }) => a.id === 'hris_add_employee_training')).toMatchObject({
      coverage_status: 'UNSUPPORTED',
    });
    const details = await request(gw.url).get(`/v1/integrations/${integrationId}`).set('Authorization', auth.Authorization);
    expect(details.body.data.write_actions.find((a: { id: string }) => a.id === 'hris_add_employee_training')).toMatchObject({
      is_available: false,
      coverage_status: 'UNSUPPORTED',
    });
  });
});
