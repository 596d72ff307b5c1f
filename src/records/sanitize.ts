// Text from connectors made storable; rows.ts calls it where every connector's
// records become stored rows, before they are hashed. Postgres text and jsonb refuse
// U+0000 ("unsupported Unicode escape sequence") and cannot hold a lone UTF-16
// surrogate, so one such value in an HR record would fail its whole page. U+0000 is removed (it carries nothing a
// person typed); a lone surrogate becomes U+FFFD, as any UTF-8 encoder would write it.

import { setField } from '../../connectors/values';

// ES2024 string methods (Node ≥ 20); the compile target's lib does not declare them yet.
type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

export function storableText(s: string): string {
  if (!s.includes('\u0000') && (s as unknown as WellFormed).isWellFormed()) return s;
  return (s.replaceAll('\u0000', '') as unknown as WellFormed).toWellFormed();
}

/**
 * Cleans every string value and key below `v` in place; returns how many it changed. Keys are
 * the HRIS's: one that becomes "__proto__" once cleaned stays a key (setField), not a prototype.
 */
export function cleanInPlace(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  let changed = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'string') {
        const c = storableText(x);
        if (c !== x) {
          v[i] = c;
          changed++;
        }
      } else changed += cleanInPlace(x);
    }
    return changed;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const x = o[k];
    let key = k;
    const ck = storableText(k);
    if (ck !== k) {
      delete o[k];
      key = ck;
      changed++;
    }
    if (typeof x === 'string') {
      const c = storableText(x);
      if (c !== x) changed++;
      if (c !== x || key !== k) setField(o, key, c);
    } else {
      if (key !== k) setField(o, key, x);
      changed += cleanInPlace(x);
    }
  }
  return changed;
}

/**
 * Whether JSON.stringify output may hold text Postgres refuses: it escapes U+0000 as
 * `\u0000` and a lone surrogate as `\udXXX` (a valid pair is written as is). A false
 * hit (an escaped backslash before such text) only costs a walk that changes nothing.
 */
export function mayBeUnstorable(json: string): boolean {
  return json.includes('\\u0000') || json.includes('\\ud');
}
