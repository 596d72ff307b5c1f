// What the connect page shows for Personio, and the gateway settings Personio
// needs: the connector's half of the connect page and of the configuration.
import { connectInfoFrom, requirementsFrom, type ConnectText } from '../connect-kit';
import type { ConnectInfo, Requirement, ToolSetting } from '../connector';
import text from './connect-text.json';

/** Attributes the mapping reads, with Personio's own label (what the admin sees in Personio). */
export const PERSONIO_REQUIREMENTS: Requirement[] = requirementsFrom(text as ConnectText);

export const PERSONIO_CONNECT: ConnectInfo = connectInfoFrom(text as ConnectText, PERSONIO_REQUIREMENTS);

export const PERSONIO_SETTINGS: ToolSetting[] = [
  { key: 'baseUrl', env: 'PERSONIO_BASE_URL', kind: 'url', description: 'Personio API origin for integrations without their own base URL (point it at the simulator in development).' },
  { key: 'partnerId', env: 'PERSONIO_PARTNER_ID', kind: 'string', description: 'Sent as X-Personio-Partner-ID on every Personio request.' },
  { key: 'appId', env: 'PERSONIO_APP_ID', kind: 'string', description: 'Sent as X-Personio-App-ID on every Personio request.' },
];

/** Personio allows 60 uploads/min per credential; 55 leaves room for the client's own 429/503 retries. */
export const PERSONIO_UPLOAD_RATE = { perWindow: 55, windowMs: 60_000 };

/** Personio's own attributes are named; the company's custom ones are `dynamic_<n>`. */
export const personioFieldKind = (key: string): 'DEFAULT' | 'CUSTOM' => (key.startsWith('dynamic_') ? 'CUSTOM' : 'DEFAULT');
