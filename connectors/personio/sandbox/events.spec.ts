import { PersonioSandbox, startPersonioSandbox } from './index';

const NOW = new Date('2026-03-02T09:30:00Z'); // 10:30 at the account's +01:00
let sb: PersonioSandbox;
beforeEach(async () => {
  sb = await startPersonioSandbox({ employees: 10, now: NOW });
});
afterEach(() => sb.close());

const names = () => sb.events().map((e) => e.event_name);
const since = (n: number) => sb.events().slice(n);

describe('events from the sandbox writes', () => {
  it('hire → person.created + employment.created with ids only, in the documented envelope', async () => {
    const { id } = sb.hire({ first_name: 'Ada' });
    expect(sb.events()).toEqual([
      {
        id: expect.any(String),
        company_id: sb.companyId,
        event_name: 'person.created',
        occurred_at: '2026-03-02T09:30:00Z',
        payload: { person: { id: String(id) } },
        meta: {},
      },
      {
        id: expect.any(String),
        company_id: sb.companyId,
        event_name: 'employment.created',
        occurred_at: '2026-03-02T09:30:00Z',
        payload: { employment: { id: sb.employmentId(id) }, person: { id: String(id) } },
        meta: {},
      },
    ]);
    expect(sb.employmentId(id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('person.updated only for the six documented fields and custom attributes', () => {
    const [id] = sb.employeeIds();
    const gender = (sb.employeeRaw(id) as { attributes: { gender: { value: string } } }).attributes.gender.value === 'female' ? 'male' : 'female';
    for (const [key, value] of [
      ['first_name', 'Zed'],
      ['last_name', 'Q'],
      ['email', 'zed.q@example.com'],
      ['preferred_name', 'Z'],
      ['gender', gender],
      ['dynamic_990109', 'P-77'],
    ] as const) {
      const n = sb.events().length;
      sb.change(id, { [key]: value });
      expect(since(n).map((e) => e.event_name)).toEqual(['person.updated']);
    }
    const n = sb.events().length;
    sb.change(id, { fix_salary: 99_999 });
    expect(since(n)).toEqual([]);
  });

  it('employment.updated for employment fields; no event for a job (position) change unless the switch is off', () => {
    const [id] = sb.employeeIds();
    let n = sb.events().length;
    sb.change(id, { weekly_working_hours: '32' });
    expect(since(n).map((e) => e.event_name)).toEqual(['employment.updated']);
    n = sb.events().length;
    sb.change(id, { position: 'Chief Sandbox Officer' });
    expect(since(n)).toEqual([]);
    sb.setWebhookSettings({ noEventOnJobChange: false });
    sb.change(id, { position: 'Chief Webhook Officer' });
    expect(since(n).map((e) => e.event_name)).toEqual(['employment.updated']);
  });

  it('writing a value that is already there raises nothing; a trigger-field list switch narrows employment.updated', () => {
    const [id] = sb.employeeIds();
    sb.change(id, { weekly_working_hours: '31' });
    const n = sb.events().length;
    sb.change(id, { weekly_working_hours: '31' });
    expect(since(n)).toEqual([]);
    sb.setWebhookSettings({ employmentUpdatedFields: ['status'] });
    sb.change(id, { weekly_working_hours: '30' });
    expect(since(n)).toEqual([]);
  });

  it('terminate → employment.updated now, employment.terminated on the termination date; delete → person.deleted + employment.deleted', () => {
    const [id] = sb.employeeIds();
    let n = sb.events().length;
    sb.terminate(id, '2026-03-04');
    expect(since(n).map((e) => e.event_name)).toEqual(['employment.updated']);
    n = sb.events().length;
    sb.advanceClock(86_400_000); // 2026-03-03: nothing due
    expect(since(n)).toEqual([]);
    sb.advanceClock(86_400_000); // 2026-03-04
    expect(since(n)).toEqual([
      expect.objectContaining({
        event_name: 'employment.terminated',
        occurred_at: '2026-03-03T23:00:00Z',
        payload: { employment: { id: sb.employmentId(id) }, person: { id: String(id) } },
      }),
    ]);
    n = sb.events().length;
    sb.remove(id);
    expect(since(n).map((e) => [e.event_name, e.payload])).toEqual([
      ['person.deleted', { person: { id: String(id) } }],
      ['employment.deleted', { employment: { id: sb.employmentId(id) }, person: { id: String(id) } }],
    ]);
  });

  it('employment.started fires on the start date from the clock (also across a jump of several days), not when the record is written', () => {
    const { id } = sb.hire({ hire_date: '2026-03-05' });
    expect(names()).toEqual(['person.created', 'employment.created']);
    sb.setClock(new Date('2026-03-10T08:00:00Z'));
    const started = sb.events().filter((e) => e.event_name === 'employment.started');
    expect(started).toEqual([
      expect.objectContaining({ occurred_at: '2026-03-04T23:00:00Z', payload: expect.objectContaining({ person: { id: String(id) } }) }),
    ]);
    sb.setClock(new Date('2026-03-01T08:00:00Z')); // backwards: nothing
    sb.setClock(new Date('2026-03-10T08:00:00Z')); // forwards over the same days again: fires again, as the calendar passes them again
    expect(sb.events().filter((e) => e.event_name === 'employment.started')).toHaveLength(2);
  });

  it('switches: no person id on employment payloads; employment.updated.cost-centers', () => {
    sb.setWebhookSettings({ employmentPayloadIncludesPerson: false, costCenterEvents: true });
    const costCenters = (id: number) => (sb.employeeRaw(id) as { attributes: { cost_centers: { value: unknown[] } } }).attributes.cost_centers.value;
    const id = sb.employeeIds().find((i) => costCenters(i).length > 0)!;
    const n = sb.events().length;
    sb.change(id, { cost_centers: null });
    expect(since(n).map((e) => [e.event_name, e.payload])).toEqual([
      ['employment.updated', { employment: { id: sb.employmentId(id) } }],
      ['employment.updated.cost-centers', { employment: { id: sb.employmentId(id) } }],
    ]);
  });
});
