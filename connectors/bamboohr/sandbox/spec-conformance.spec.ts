import { BambooTestSandbox, Fetched, bamboo, startBambooHrForTest } from './index';
import { FIELD_CATALOGUE } from './company';
import { DEVIATIONS, failures, type Captured } from './spec-conformance.spec-env';
import { eachDeviationIsNeeded } from '../../sandbox-kit/deviations.spec-env';

/**
 * Every response the vendored BambooHR OpenAPI 3.1 file (fixtures/spec/public.yaml, MIT, see
 * fixtures/spec/LICENSE) describes must validate against it, and every status the sandbox
 * answers on these calls must be one the operation declares (deviations and validator:
 * spec-conformance.spec-env.ts).
 */

describe("BambooHR sandbox responses validate against BambooHR's OpenAPI file", () => {
  const captured: Captured[] = [];
  let t: BambooTestSandbox;

  beforeAll(async () => {
    t = await startBambooHrForTest({ employees: 80, seed: 11, rateLimit: { requests: 1000, windowMs: 60_000 } });
    const keep = async (label: string, specPath: string, method: string, call: Promise<Fetched>) =>
      captured.push({ label, path: specPath, method, res: await call });
    const ids = t.sandbox.employeeIds();

    let cursor: string | null = null;
    do {
      const r = await bamboo(
        t,
        `/employees?page[limit]=30&fields=departmentId,departmentName,locationId,reportsToId,birthDate,hireDate,employmentStatusName${cursor ? `&page[after]=${encodeURIComponent(cursor)}` : ''}`,
      );
      captured.push({ label: 'list employees', path: '/api/v1/employees', method: 'get', res: r });
      cursor = r.json.meta.page.nextCursor;
    } while (cursor);
    const narrow = t.sandbox.addApiKey({ hiddenFields: ['photoUrl', 'workEmail'] });
    await keep('list, restricted', '/api/v1/employees', 'get', bamboo(t, '/employees?fields=workEmail&filter[status]=inactive', { key: narrow.key }));
    await keep('list by ids', '/api/v1/employees', 'get', bamboo(t, `/employees?filter[ids]=${ids[0]},${ids[1]}&sort=-lastName`));
    await keep('list 400', '/api/v1/employees', 'get', bamboo(t, '/employees?page[limit]=0'));
    await keep('list BadPage', '/api/v1/employees', 'get', bamboo(t, '/employees?page[after]=xyz'));
    await keep('list 401', '/api/v1/employees', 'get', bamboo(t, '/employees', { key: 'wrong' }));

    const every = FIELD_CATALOGUE.map((f) => f.alias ?? String(f.id)).join(',');
    for (const id of ids.slice(0, 25)) {
      await keep(`employee ${id}`, '/api/v1/employees/{id}', 'get', bamboo(t, `/employees/${id}?fields=${every},jobTitleName,reportsToName`));
      await keep(`employee ${id} future`, '/api/v1/employees/{id}', 'get', bamboo(t, `/employees/${id}?fields=${every}&onlyCurrent=false`));
    }
    await keep(
      'employee 400',
      '/api/v1/employees/{id}',
      'get',
      bamboo(t, `/employees/${ids[0]}?fields=${Array.from({ length: 401 }, (_, i) => `x${i}`).join(',')}`),
    );
    await keep('employee 404', '/api/v1/employees/{id}', 'get', bamboo(t, '/employees/1'));
    await keep('employee 401', '/api/v1/employees/{id}', 'get', bamboo(t, `/employees/${ids[0]}`, { key: null }));

    await keep('changed', '/api/v1/employees/changed', 'get', bamboo(t, '/employees/changed?since=2020-01-01T00:00:00Z'));
    t.sandbox.remove(ids[30]);
    await keep('changed with deletion', '/api/v1/employees/changed', 'get', bamboo(t, '/employees/changed?since=2026-01-01T00:00:00%2B01:00'));
    await keep('changed 400', '/api/v1/employees/changed', 'get', bamboo(t, '/employees/changed?since=yesterday'));
    for (const table of ['jobInfo', 'employmentStatus', 'compensation']) {
      await keep(
        `changed table ${table}`,
        '/api/v1/employees/changed/tables/{table}',
        'get',
        bamboo(t, `/employees/changed/tables/${table}?since=2025-01-01T00:00:00Z`),
      );
      await keep(`table ${table} all`, '/api/v1/employees/{id}/tables/{table}', 'get', bamboo(t, `/employees/all/tables/${table}`));
      await keep(`table ${table} one`, '/api/v1/employees/{id}/tables/{table}', 'get', bamboo(t, `/employees/${ids[3]}/tables/${table}`));
    }
    await keep('table 404', '/api/v1/employees/{id}/tables/{table}', 'get', bamboo(t, `/employees/${ids[3]}/tables/nope`));
    await keep('changed table 404', '/api/v1/employees/changed/tables/{table}', 'get', bamboo(t, '/employees/changed/tables/nope?since=2025-01-01T00:00:00Z'));

    await keep('create employee 201', '/api/v1/employees', 'post', bamboo(t, '/employees', { method: 'POST', body: { firstName: 'Kim', lastName: 'Lee' } }));
    await keep('create employee 400', '/api/v1/employees', 'post', bamboo(t, '/employees', { method: 'POST', body: { firstName: 'Kim' } }));
    await keep('update employee 200', '/api/v1/employees/{id}', 'post', bamboo(t, `/employees/${ids[6]}`, { method: 'POST', body: { mobilePhone: '+49 1' } }));
    await keep('update employee 404', '/api/v1/employees/{id}', 'post', bamboo(t, '/employees/1', { method: 'POST', body: { mobilePhone: '+49 1' } }));
    await keep(
      'add row 200',
      '/api/v1/employees/{id}/tables/{table}',
      'post',
      bamboo(t, `/employees/${ids[6]}/tables/compensation`, {
        method: 'POST',
        body: { startDate: '2026-12-01', rate: '70000 EUR', type: 'Salary', paidPer: 'Year' },
      }),
    );
    await keep(
      'add row 406',
      '/api/v1/employees/{id}/tables/{table}',
      'post',
      bamboo(t, `/employees/${ids[6]}/tables/jobInfo`, { method: 'POST', body: { date: '2026-12-01', location: 'Atlantis' } }),
    );
    const rowId = t.sandbox.tableRows(ids[6], 'compensation')[0].id;
    await keep(
      'update row 200',
      '/api/v1/employees/{id}/tables/{table}/{rowId}',
      'post',
      bamboo(t, `/employees/${ids[6]}/tables/compensation/${rowId}`, { method: 'POST', body: { comment: 'fixed' } }),
    );
    const hookBody = {
      name: 'gw',
      url: 'https://hooks.example.com/bamboohr',
      format: 'json',
      events: ['employee.created', 'employee.updated'],
      monitorFields: ['firstName'],
      postFields: {},
    };
    const hook = await bamboo(t, '/webhooks', { method: 'POST', body: hookBody });
    captured.push({ label: 'webhook 201', path: '/api/v1/webhooks', method: 'post', res: hook });
    await keep('webhook 400', '/api/v1/webhooks', 'post', bamboo(t, '/webhooks', { method: 'POST', body: { ...hookBody, format: 'xml' } }));
    await keep(
      'webhook unknown fields 400',
      '/api/v1/webhooks',
      'post',
      bamboo(t, '/webhooks', { method: 'POST', body: { ...hookBody, monitorFields: ['nope'] } }),
    );
    await keep('webhooks', '/api/v1/webhooks', 'get', bamboo(t, '/webhooks'));
    await keep('webhook', '/api/v1/webhooks/{id}', 'get', bamboo(t, `/webhooks/${hook.json.id}`));
    await keep('webhook 403', '/api/v1/webhooks/{id}', 'get', bamboo(t, `/webhooks/${hook.json.id}`, { key: narrow.key }));
    await keep('webhook 404', '/api/v1/webhooks/{id}', 'get', bamboo(t, '/webhooks/999'));
    await keep('webhook PUT', '/api/v1/webhooks/{id}', 'put', bamboo(t, `/webhooks/${hook.json.id}`, { method: 'PUT', body: { ...hookBody, name: 'x' } }));
    await keep('monitor fields', '/api/v1/webhooks/monitor_fields', 'get', bamboo(t, '/webhooks/monitor_fields'));
    t.sandbox.update(ids[7], { firstName: 'Changed' });
    await t.sandbox.deliveriesIdle();
    await keep('webhook log', '/api/v1/webhooks/{id}/log', 'get', bamboo(t, `/webhooks/${hook.json.id}/log`));
    await keep('webhook DELETE', '/api/v1/webhooks/{id}', 'delete', bamboo(t, `/webhooks/${hook.json.id}`, { method: 'DELETE' }));
    const ds = '/api/v2/datasets/{datasetName}/data';
    const v2 = { method: 'POST', base: `${t.url}/api/v2` };
    await keep('datasets', '/api/v1_2/datasets', 'get', bamboo(t, '/datasets', { base: `${t.url}/api/v1_2` }));
    await keep(
      'dataset fields',
      '/api/v1_2/datasets/{datasetName}/fields',
      'get',
      bamboo(t, '/datasets/employee/fields?page=2&page_size=20', { base: `${t.url}/api/v1_2` }),
    );
    await keep('dataset fields 422', '/api/v1_2/datasets/{datasetName}/fields', 'get', bamboo(t, '/datasets/nope/fields', { base: `${t.url}/api/v1_2` }));
    await keep(
      'dataset data',
      ds,
      'post',
      bamboo(t, '/datasets/employee/data', {
        ...v2,
        body: { fields: ['employeeId', ...every.split(',').filter((f) => /^[a-z]/i.test(f) && f !== 'employmentStatus')], pageSize: 50, page: 2 },
      }),
    );
    await keep(
      'dataset data filtered',
      ds,
      'post',
      bamboo(t, '/datasets/employee/data', { ...v2, body: { fields: ['employeeId', 'status'], filter: "status eq 'Inactive'", orderBy: 'employeeId desc' } }),
    );
    await keep('dataset data 400', ds, 'post', bamboo(t, '/datasets/employee/data', { ...v2, body: { filter: 'x' } }));
    await keep('dataset data 404', ds, 'post', bamboo(t, '/datasets/nope/data', { ...v2, body: { fields: ['status'] } }));
    await keep('dataset data 422', ds, 'post', bamboo(t, '/datasets/employee/data', { ...v2, body: { fields: ['status'], filter: 'status eq' } }));
    const rep = '/api/v1/reports/custom';
    await keep(
      'custom report',
      rep,
      'post',
      bamboo(t, '/reports/custom?format=json', { method: 'POST', body: { title: 't', fields: [...every.split(','), 'nope'] } }),
    );
    await keep(
      'custom report filtered',
      rep,
      'post',
      bamboo(t, '/reports/custom?format=JSON&onlyCurrent=false', {
        method: 'POST',
        body: { fields: ['firstName', 'hireDate'], filters: { employeeIds: [ids[1]], lastChanged: { includeNull: 'no', value: '2020-01-01T00:00:00+0000' } } },
      }),
    );
    await keep(
      'custom report 400',
      rep,
      'post',
      bamboo(t, `/reports/custom?format=json`, { method: 'POST', body: { fields: Array.from({ length: 401 }, (_, i) => `x${i}`) } }),
    );
    await keep('custom report 404', rep, 'post', bamboo(t, '/reports/custom', { method: 'POST', body: { fields: ['firstName'] }, accept: '*/*' }));
    await keep('meta fields', '/api/v1/meta/fields', 'get', bamboo(t, '/meta/fields'));
    await keep('meta lists', '/api/v1/meta/lists', 'get', bamboo(t, '/meta/lists'));
    await keep('meta tables', '/api/v1/meta/tables', 'get', bamboo(t, '/meta/tables'));
    await keep('locations', '/api/v1/hris/org/locations', 'get', bamboo(t, '/hris/org/locations?expand=state,country'));
    await keep('locations archived', '/api/v1/hris/org/locations', 'get', bamboo(t, '/hris/org/locations?filter=archived%20eq%20true&pageSize=1'));
    await keep('locations paged', '/api/v1/hris/org/locations', 'get', bamboo(t, '/hris/org/locations?page=1&pageSize=3'));
    await keep('locations 422', '/api/v1/hris/org/locations', 'get', bamboo(t, '/hris/org/locations?filter=label%20ne%20x'));
    await keep('company', '/api/v1/company_information', 'get', bamboo(t, '/company_information'));

    await keep('files view', '/api/v1/employees/{id}/files/view', 'get', bamboo(t, `/employees/${ids[4]}/files/view`));
    await keep('category 201', '/api/v1/employees/files/categories', 'post', bamboo(t, '/employees/files/categories', { method: 'POST', body: ['Learning'] }));
    await keep('category 200', '/api/v1/employees/files/categories', 'post', bamboo(t, '/employees/files/categories', { method: 'POST', body: [] }));
    await keep('category 400', '/api/v1/employees/files/categories', 'post', bamboo(t, '/employees/files/categories', { method: 'POST', body: ['Learning'] }));
    const upload = (parts: Record<string, string>, withFile = true, emp = ids[4]) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(parts)) f.set(k, v);
      if (withFile) f.set('file', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'c.pdf');
      return bamboo(t, `/employees/${emp}/files`, { method: 'POST', body: f });
    };
    await keep('upload 201', '/api/v1/employees/{id}/files', 'post', upload({ fileName: 'c.pdf', category: '12', share: 'no' }));
    await keep('upload 400', '/api/v1/employees/{id}/files', 'post', upload({ fileName: 'c.pdf', category: '12' }, false));
    await keep('upload 403', '/api/v1/employees/{id}/files', 'post', upload({ fileName: 'c.pdf', category: '13' }));
    await keep('upload 404', '/api/v1/employees/{id}/files', 'post', upload({ fileName: 'c.pdf', category: '12' }, true, 1));
    await keep('files view with a file', '/api/v1/employees/{id}/files/view', 'get', bamboo(t, `/employees/${ids[4]}/files/view`));

    await keep('training types', '/api/v1/training/type', 'get', bamboo(t, '/training/type'));
    await keep('training categories', '/api/v1/training/category', 'get', bamboo(t, '/training/category'));
    const recPath = '/api/v1/training/record/employee/{employeeId}';
    await keep('training records empty', recPath, 'get', bamboo(t, `/training/record/employee/${ids[5]}`));
    const created = await bamboo(t, `/training/record/employee/${ids[5]}`, {
      method: 'POST',
      body: { completed: '2026-11-02', type: 2, hours: 1.5, cost: { currency: 'EUR', amount: '20' } },
    });
    captured.push({ label: 'training record 201', path: recPath, method: 'post', res: created });
    await keep(
      'training record minimal 201',
      recPath,
      'post',
      bamboo(t, `/training/record/employee/${ids[5]}`, { method: 'POST', body: { completed: '2026-11-03', type: 1 } }),
    );
    await keep(
      'training record 400',
      recPath,
      'post',
      bamboo(t, `/training/record/employee/${ids[5]}`, { method: 'POST', body: { completed: 'soon', type: 1 } }),
    );
    await keep(
      'training record 404',
      recPath,
      'post',
      bamboo(t, '/training/record/employee/1', { method: 'POST', body: { completed: '2026-11-03', type: 1 } }),
    );
    await keep('training records', recPath, 'get', bamboo(t, `/training/record/employee/${ids[5]}`));
    await keep(
      'training record PUT',
      '/api/v1/training/record/{employeeTrainingRecordId}',
      'put',
      bamboo(t, `/training/record/${created.json.id}`, { method: 'PUT', body: { completed: '2026-11-04', credits: 2 } }),
    );

    t.sandbox.setRateLimit({ requests: 1, windowMs: 60_000 });
    await bamboo(t, '/meta/fields');
    await keep('meta fields 429', '/api/v1/meta/fields', 'get', bamboo(t, '/meta/fields'));
  });
  afterAll(() => t?.close());

  it('every captured response is valid once the listed deviations are applied', () => {
    expect(captured.length).toBeGreaterThan(80);
    expect(failures(captured, DEVIATIONS)).toEqual([]);
  });

  it('the check itself catches a body that breaks the schema', () => {
    const list = captured.find((c) => c.label === 'list employees')!;
    const broken = { ...list.res, json: { data: [{ ...list.res.json.data[0], employeeId: 101, status: 'Terminated' }], meta: list.res.json.meta } };
    const errs = failures([{ ...list, res: broken }], DEVIATIONS);
    expect(errs.join('\n')).toMatch(/_links|employeeId|status/);
  });

  eachDeviationIsNeeded(DEVIATIONS, (kept) => failures(captured, kept));
});
