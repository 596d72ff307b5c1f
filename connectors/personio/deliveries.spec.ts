import { parsePersonioDelivery, personioDeliveryToken } from './deliveries';

const envelope = (event_name: string, payload: unknown, occurred_at = '2026-11-29T10:15:02Z') => ({
  company_id: '61003',
  event_name,
  occurred_at,
  payload,
  meta: {},
});

describe('Personio v2 deliveries', () => {
  it('finds the person of person and employment events, and marks person.deleted a removal', () => {
    expect(parsePersonioDelivery(envelope('person.updated', { person: { id: '3003' } }))).toEqual([
      expect.objectContaining({ name: 'person.updated', personIds: ['3003'], removal: false, occurredAt: new Date('2026-11-29T10:15:02Z') }),
    ]);
    expect(parsePersonioDelivery(envelope('person.deleted', { person: { id: 3003 } }))![0]).toMatchObject({ personIds: ['3003'], removal: true });
    const employment = { employment: { id: '2e4324b0-1b0e-11ee-a7f7-e37ffd9b3a44' }, person: { id: '3003' } };
    expect(parsePersonioDelivery(envelope('employment.updated', employment))![0]).toMatchObject({ personIds: ['3003'], removal: false });
    expect(parsePersonioDelivery(envelope('employment.terminated', { employment: { id: 'e-1', person: { id: '7' } } }))![0].personIds).toEqual(['7']);
  });

  it('acknowledges events that name no person (pings, absences, an employment without its person) with nothing to re-read', () => {
    expect(parsePersonioDelivery(envelope('ping', {}))![0].personIds).toEqual([]);
    expect(parsePersonioDelivery(envelope('absence-period.created', { absence_period: { id: 'a-1' }, person: { id: '1' } }))![0].personIds).toEqual([]);
    expect(parsePersonioDelivery(envelope('employment.updated', { employment: { id: 'e-1' } }))![0].personIds).toEqual([]);
  });

  it('gives retries of one event one key, and different events different keys', () => {
    const key = (b: unknown) => parsePersonioDelivery(b)![0].dedupeKey;
    const a = envelope('person.updated', { person: { id: '1' } });
    expect(key(a)).toBe(key(JSON.parse(JSON.stringify(a))));
    expect(key(a)).not.toBe(key(envelope('person.updated', { person: { id: '1' } }, '2026-11-29T10:15:03Z')));
    expect(key(a)).not.toBe(key(envelope('person.updated', { person: { id: '2' } })));
    expect(key(a)).not.toBe(key(envelope('person.created', { person: { id: '1' } })));
    expect(key(envelope('employment.updated', { employment: { id: 'e-1' }, person: { id: '1' } }))).not.toBe(
      key(envelope('employment.updated', { employment: { id: 'e-2' }, person: { id: '1' } })),
    );
  });

  it('refuses what is not an envelope, and ids that are not ids', () => {
    for (const bad of [null, [], 'x', { event_name: 'person.updated' }, { payload: {} }, { event_name: 7, payload: {} }])
      expect(parsePersonioDelivery(bad)).toBeNull();
    expect(parsePersonioDelivery(envelope('person.updated', { person: { id: '../../etc' } }))![0].personIds).toEqual([]);
    expect(parsePersonioDelivery(envelope('person.updated', { person: { id: -4 } }))![0].personIds).toEqual([]);
  });

  it('reads the token from Authorization as sent, with an optional Bearer prefix', () => {
    expect(personioDeliveryToken({ authorization: 'abc' })).toBe('abc');
    expect(personioDeliveryToken({ authorization: 'Bearer abc' })).toBe('abc');
    expect(personioDeliveryToken({})).toBeNull();
    expect(personioDeliveryToken({ authorization: 'x'.repeat(600) })).toBeNull();
  });
});
