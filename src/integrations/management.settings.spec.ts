import { settingsPatchOf } from '../dashboard/dashboard-settings.controller';
import { settingsPatchFromArgs } from './management.cli';
import { nextRunOf } from './management.list';

describe('settings input from the dashboard form and the command line', () => {
  it('the form sends every filter field (unchecked groups clear), empty intervals mean the default', () => {
    expect(
      settingsPatchOf({
        employment_statuses: ['ACTIVE', 'LEAVE'],
        legal_entity_remote_ids: '7',
        delta_interval_minutes: ' 1 ',
        full_interval_minutes: '',
        expose_remote_data: 'true',
      }),
    ).toEqual({
      filters: {
        legal_entity_remote_ids: ['7'],
        location_remote_ids: [],
        group_remote_ids: [],
        employment_statuses: ['ACTIVE', 'LEAVE'],
        employment_types: [],
      },
      delta_interval_minutes: 1,
      full_interval_minutes: null,
      expose_remote_data: true,
    });
    // Not a number: passed on as typed, so the API's validation names the field.
    expect(settingsPatchOf({ delta_interval_minutes: 'soon' }).delta_interval_minutes).toBe('soon');
  });

  it('the CLI reads comma lists ("" clears), "default" resets an interval, and only the options given', () => {
    expect(
      settingsPatchFromArgs([
        'integrations',
        'settings',
        'set',
        'personio:x',
        '--statuses',
        'ACTIVE,LEAVE',
        '--groups',
        '',
        '--delta-interval-minutes',
        'default',
      ]),
    ).toEqual({
      id: 'personio:x',
      verb: 'set',
      json: false,
      patch: { filters: { employment_statuses: ['ACTIVE', 'LEAVE'], group_remote_ids: [] }, delta_interval_minutes: null },
    });
    expect(() => settingsPatchFromArgs(['integrations', 'settings', 'set', 'personio:x', '--colour', 'red'])).toThrow(/colour/);
    expect(() => settingsPatchFromArgs(['integrations', 'settings', 'get'])).toThrow(/integration id/);
  });
});

describe('nextRunOf', () => {
  const at = (min: number) => new Date(Date.UTC(2030, 0, 1, 12, min));
  const s = { next_delta_at: at(5), next_full_at: at(60), retry_at: null, retry_type: null, delta_watermark: at(0) };
  it('is the earlier of delta and full, a retry when one is pending, nothing while not ACTIVE', () => {
    expect(nextRunOf('ACTIVE', s)).toEqual({ type: 'DELTA', at: at(5).toISOString(), retry: false });
    expect(nextRunOf('ACTIVE', { ...s, next_full_at: at(3) })).toEqual({ type: 'FULL', at: at(3).toISOString(), retry: false });
    expect(nextRunOf('ACTIVE', { ...s, delta_watermark: null })).toEqual({ type: 'FULL', at: at(5).toISOString(), retry: false });
    expect(nextRunOf('ACTIVE', { ...s, retry_at: at(1), retry_type: 'DELTA' })).toEqual({ type: 'DELTA', at: at(1).toISOString(), retry: true });
    expect(nextRunOf('INACTIVE', s)).toBeNull();
    expect(nextRunOf('ACTIVE', null)).toBeNull();
  });
});
