// Reading Personio's response bodies (the client parses them with http/exchange's
// parseBody): list payloads, and the error message Personio gives, passed on to the user.

export function listData<T>(body: unknown): T[] {
  const data = (body as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? (data as T[]) : [];
}

/** Longest upstream message passed on (as BambooHR's): a validation error lists every field, and it ends up in sync runs and API errors. */
const MAX_MESSAGE = 500;

/** Personio's `error.message` (sometimes German), or a v1 `message`, for passing on to the user. */
export function upstreamMessage(body: unknown): string | null {
  const found = messageOf(body);
  return found ? found.slice(0, MAX_MESSAGE) : null;
}

function messageOf(body: unknown): string | null {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body.length < MAX_MESSAGE ? body.trim() || null : null;
  const b = body as { error?: { message?: unknown; error_data?: unknown }; message?: unknown };
  const base = typeof b.error?.message === 'string' ? b.error.message.trim() : typeof b.message === 'string' ? b.message.trim() : null;
  const details = b.error?.error_data;
  if (details && typeof details === 'object') {
    const parts = Object.entries(details as Record<string, unknown>).map(([field, v]) => `${field}: ${Array.isArray(v) ? v.join(' ') : String(v)}`);
    if (parts.length) return [base, ...parts].filter(Boolean).join(' — ');
  }
  return base || null;
}
