/**
 * Messages shown after an action redirects back to a page. The query string carries
 * only a code (and a count), never text, so no link can make the dashboard say
 * something it did not.
 */
const MESSAGES: Record<string, (n: number) => string> = {
  'sync-queued': () => 'Sync queued; it starts within seconds.',
  'sync-already': () => 'A sync of this integration is already queued or running.',
  enabled: () => 'Integration enabled; scheduled syncs resume.',
  disabled: () => 'Integration disabled; its running sync is cancelled and no further syncs run.',
  deleted: () => 'Integration deleted.',
  'settings-saved': () => 'Settings saved.',
  'settings-resync': () => 'Settings saved; a full sync with the new filters is queued.',
  'settings-unchanged': () => 'Nothing changed.',
  redelivered: (n) => `Event queued for redelivery to ${n} endpoint${n === 1 ? '' : 's'}.`,
  'redelivered-failed': (n) => `${n} failed deliver${n === 1 ? 'y' : 'ies'} queued again.`,
};

const ERRORS: Record<string, string> = {
  environment: 'That environment does not exist.',
};

export function flashOf(q: Record<string, unknown>): { ok: string | null; error: string | null } {
  const n = typeof q.n === 'string' && /^\d{1,9}$/.test(q.n) ? Number(q.n) : 0;
  const ok = typeof q.ok === 'string' && Object.hasOwn(MESSAGES, q.ok) ? MESSAGES[q.ok](n) : null;
  const error = typeof q.error === 'string' && Object.hasOwn(ERRORS, q.error) ? ERRORS[q.error] : null;
  return { ok, error };
}

export const flashHref = (base: string, code: keyof typeof MESSAGES, n?: number) =>
  `${base}${base.includes('?') ? '&' : '?'}ok=${code}${n !== undefined ? `&n=${n}` : ''}`;
