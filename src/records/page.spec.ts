import type { UnifiedBatch, UnifiedEmployee, UnifiedEmployment } from '../../connectors/unified';
import { bareEmployee } from '../../connectors/unified.spec-env';
import { stableId } from '../common/ids';
import { preparePage, preparePageInSlices } from './page';
import { employmentEmployeeId } from './rows';

const IID = 'acme:page';

const employee = (remote_id: string, status: string, le: string | null): UnifiedEmployee =>
  bareEmployee(remote_id, { first_name: remote_id, employment_status: status as UnifiedEmployee['employment_status'], legal_entity_remote_id: le });

const employment = (employeeRemoteId: string): UnifiedEmployment => ({
  remote_id: `employment:${employeeRemoteId}`,
  employee_remote_id: employeeRemoteId,
  job_title: null,
  pay_rate: null,
  pay_period: null,
  pay_frequency: null,
  employment_type: null,
  pay_currency: null,
  effective_date: null,
  custom_fields: {},
  remote_fields: {},
  remote_data: {},
});

const batch = (): UnifiedBatch =>
  ({
    employees: [employee('1', 'ACTIVE', 'le-1'), employee('2', 'INACTIVE', 'le-1'), employee('3', 'ACTIVE', 'le-2')],
    employments: [employment('1'), employment('2'), employment('3'), employment('99')],
    groups: [{ remote_id: 'team:1', name: 'T', type: 'TEAM', parent_remote_id: null, remote_data: {} }],
    legal_entities: [
      { remote_id: 'le-1', name: 'L1', address: null, remote_data: {} },
      { remote_id: 'le-2', name: 'L2', address: null, remote_data: {} },
    ],
    locations: [],
  }) as unknown as UnifiedBatch;

describe('preparePage', () => {
  it('without filters keeps every record, employments pointing at their employees', () => {
    const p = preparePage(IID, {}, batch());
    expect(p.rows.employees.map((r) => r.remote_id)).toEqual(['1', '2', '3']);
    expect(p.rows.employments.map((r) => r.remote_id)).toEqual(['employment:1', 'employment:2', 'employment:3', 'employment:99']);
    expect(p.rows.employments.map(employmentEmployeeId)).toEqual(['1', '2', '3', '99'].map((id) => stableId(IID, 'employees', id)));
    expect(p.rows.legal_entities).toHaveLength(2);
    expect(p.rows.groups).toHaveLength(1);
    expect(p.excluded).toEqual({ employees: [], employments: [] });
  });

  it('employees the filters reject are excluded together with their employments; others stay', () => {
    const p = preparePage(IID, { legal_entity_remote_ids: ['le-1'], employment_statuses: ['ACTIVE'] }, batch());
    expect(p.rows.employees.map((r) => r.remote_id)).toEqual(['1']);
    expect(p.excluded.employees.map((r) => r.remote_id)).toEqual(['2', '3']);
    expect(p.excluded.employments.map((r) => r.remote_id)).toEqual(['employment:2', 'employment:3']);
    // An employment whose employee is not in the page is not the filter's to judge.
    expect(p.rows.employments.map((r) => r.remote_id)).toEqual(['employment:1', 'employment:99']);
    // Filters never drop the records employees point at.
    expect(p.rows.legal_entities).toHaveLength(2);
  });
});

describe('preparePageInSlices', () => {
  it('builds what preparePage builds, returning to the event loop between slices', async () => {
    const many = batch();
    for (let i = 4; i <= 30; i++) {
      many.employees.push(employee(String(i), 'ACTIVE', 'le-1'));
      many.employments.push(employment(String(i)));
    }
    let turns = 0;
    let next: NodeJS.Immediate;
    const tick = () => {
      turns++;
      next = setImmediate(tick);
    };
    next = setImmediate(tick);
    const sliced = await preparePageInSlices(IID, { legal_entity_remote_ids: ['le-1'] }, many).finally(() => clearImmediate(next));
    expect(sliced).toEqual(preparePage(IID, { legal_entity_remote_ids: ['le-1'] }, many));
    expect(sliced.rows.employees.length).toBe(29);
    // Other work (a page's statements being answered) ran while it was being built.
    expect(turns).toBeGreaterThan(5);
  });
});
