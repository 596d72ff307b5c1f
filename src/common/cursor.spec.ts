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
});
