// OrgIndex: BambooHR list options (departments, divisions, locations) as groups and locations.
import { OrgIndex } from './org';
import { LISTS, org } from './mapping.spec-env';

describe('OrgIndex', () => {
  it('active options become records; archived and other lists do not', () => {
    const { groups, locations } = org.activeRecords();
    expect(groups.map((g) => g.remote_id)).toEqual(['department:14', 'department:16', 'division:3']);
    expect(locations.map((l) => l.remote_id)).toEqual(['18']);
  });
  it('divisions can be typed DEPARTMENT by configuration', () => {
    expect(new OrgIndex(LISTS, { divisionType: 'DEPARTMENT' }).group('division', '3', null)?.type).toBe('DEPARTMENT');
  });
  it('names resolve case-insensitively, the active option before an archived namesake', () => {
    const o = new OrgIndex([
      {
        alias: 'department',
        options: [
          { id: '1', name: 'Ops', archived: 'yes' },
          { id: '2', name: 'Ops', archived: 'no' },
        ],
      },
    ]);
    expect(o.group('department', null, 'ops')?.remote_id).toBe('department:2');
  });
});
