import { randomBytes } from 'node:crypto';
import { PageCursors } from './cursor';

describe('PageCursors', () => {
  const cursors = new PageCursors(randomBytes(32));
  const scope = { list: 'employees', owner: 'personio:abc', filters: { work_emails: 'a@b.c', cursor: 'ignored', page_size: 5 } };

  it('returns the position it encoded, whatever page_size or cursor the request had', () => {
    const c = cursors.encode(scope, ['2026-01-01T00:00:00.000000Z', 'id1']);
    expect(cursors.decode({ ...scope, filters: { work_emails: 'a@b.c' } }, c, 2)).toEqual(['2026-01-01T00:00:00.000000Z', 'id1']);
  });

  it('refuses a cursor for another list, owner or filters', () => {
    const c = cursors.encode(scope, ['id1']);
    expect(() => cursors.decode({ ...scope, list: 'groups' }, c, 1)).toThrow(/other filters/);
    expect(() => cursors.decode({ ...scope, owner: 'personio:other' }, c, 1)).toThrow(/other filters/);
    expect(() => cursors.decode({ ...scope, filters: {} }, c, 1)).toThrow(/other filters/);
  });

  it('refuses a forged, tampered or foreign-key cursor and one of the wrong shape', () => {
    const c = cursors.encode(scope, ['id1']);
    const [payload, mac] = c.split('.');
    const forged = Buffer.from(JSON.stringify([1, 'x', '2024|x'])).toString('base64url');
    expect(() => cursors.decode(scope, `${forged}.${mac}`, 1)).toThrow(/malformed/);
    expect(() => cursors.decode(scope, payload, 1)).toThrow(/malformed/);
    expect(() => cursors.decode(scope, Buffer.from('2024|x').toString('base64url'), 1)).toThrow(/malformed/);
    expect(() => new PageCursors(randomBytes(32)).decode(scope, c, 1)).toThrow(/malformed/);
    expect(() => cursors.decode(scope, c, 2)).toThrow(/malformed/);
  });

  it('binds to the filters as a set: key order and undefined values do not matter, values do', () => {
    const c = cursors.encode({ list: 'employees', owner: 'o', filters: { a: '1', b: ['x', 'y'], c: undefined } }, ['id1']);
    expect(cursors.decode({ list: 'employees', owner: 'o', filters: { b: ['x', 'y'], a: '1' } }, c, 1)).toEqual(['id1']);
    expect(() => cursors.decode({ list: 'employees', owner: 'o', filters: { a: '1', b: ['y', 'x'] } }, c, 1)).toThrow(/other filters/);
    expect(() => cursors.decode({ list: 'employees', owner: 'o', filters: { a: '2', b: ['x', 'y'] } }, c, 1)).toThrow(/other filters/);
  });

  it('refuses with the INPUT_INVALID error of the standard envelope', () => {
    expect.assertions(2);
    try {
      cursors.decode(scope, 'not-a-cursor', 1);
    } catch (e) {
      expect((e as { code?: string }).code).toMatch(/INPUT_INVALID$/);
      expect((e as Error).message).toMatch(/cursor is malformed/);
    }
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => new PageCursors(randomBytes(16))).toThrow(/32 bytes/);
  });
});
