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
});
