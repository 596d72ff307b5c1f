import { isGatewayId, randomId, stableId } from './ids';

describe('ids', () => {
  it('random ids are 24 base58 characters and differ', () => {
    const a = randomId();
    expect(isGatewayId(a)).toBe(true);
    expect(a).not.toEqual(randomId());
  });

  it('stable ids depend only on integration, model and remote id', () => {
    const id = stableId('personio:abc', 'employee', '42');
    expect(isGatewayId(id)).toBe(true);
    expect(stableId('personio:abc', 'employee', '42')).toBe(id);
    expect(stableId('personio:abc', 'employee', '43')).not.toBe(id);
    expect(stableId('personio:abc', 'group', '42')).not.toBe(id);
    expect(stableId('personio:abd', 'employee', '42')).not.toBe(id);
  });

  it('stable ids never change between releases: the LMS stored them', () => {
    // Pinned values: a different digest, encoding or input layout would hand out new ids for every synced record.
    expect(stableId('personio:abc', 'employee', '42')).toBe('mbpuj81QiHqSg2rkZFgvXi7J');
    expect(stableId('int_1', 'employments', 'Zoë 🙂')).toBe('qWVsNWML2F3Bdbzmski5pWnP');
  });
});
