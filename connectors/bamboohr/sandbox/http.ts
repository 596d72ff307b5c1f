import { IncomingMessage } from 'node:http';
import { Reply, json } from '../../sandbox-kit/http';
import { BehaviourSwitches } from './types';
import { XmlNode, toXml } from './xml';

export type { Reply } from '../../sandbox-kit/http';
export { json, sendReply as send } from '../../sandbox-kit/http';

/** How an endpoint family reports errors (NOTES §5). */
export type ErrorFamily = 'classic' | 'list' | 'problem';

export const empty = (status: number, headers?: Record<string, string>): Reply => ({ status, body: '', contentType: '', headers });

export function wantsJson(req: IncomingMessage, switches: BehaviourSwitches, query?: URLSearchParams): boolean {
  if (!switches.xmlByDefault) return true;
  if (query?.get('format')?.toLowerCase() === 'json') return true;
  return (req.headers.accept ?? '').toLowerCase().includes('application/json');
}

/** JSON when asked for, else the XML rendering (classic endpoints, NOTES §0 "JSON is opt-in"). */
export function negotiated(req: IncomingMessage, switches: BehaviourSwitches, body: unknown, xml: () => XmlNode, status = 200, query?: URLSearchParams): Reply {
  if (wantsJson(req, switches, query)) return json(status, body);
  return { status, body: toXml(xml()), contentType: 'text/xml; charset=utf-8' };
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error the way the endpoint family sends it; the message always also goes into the error headers. */
export function error(
  family: ErrorFamily,
  switches: BehaviourSwitches,
  status: number,
  message: string,
  extra: Record<string, string> = {},
  code?: string,
): Reply {
  const headers: Record<string, string> = { ...extra };
  for (const h of switches.errorHeaders) headers[h] = headerSafe(message);
  if (family === 'list' && status === 400) return json(status, { error: { code: code ?? 'BadRequest', message } }, headers);
  if (family === 'problem') {
    return {
      status,
      contentType: 'application/problem+json',
      headers,
      body: JSON.stringify({ type: `https://httpstatuses.io/${status}`, title: TITLES[status] ?? 'Error', status, detail: message, ...(code ? { code } : {}) }),
    };
  }
  if (switches.classicErrorBody === 'json') return json(status, { error: { code: code ?? String(status), message } }, headers);
  return empty(status, headers);
}

/** Header values must be latin1 without line breaks. */
const headerSafe = (s: string): string => s.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');

export function readJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}
