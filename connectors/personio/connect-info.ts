// What the connect page shows for Personio, and the gateway settings Personio
// needs: the connector's half of the connect page and of the configuration.
import { toolTextFrom, type ConnectText } from '../connect-kit';
import type { ConnectInfo, Requirement, ToolSetting } from '../connector';
import text from './connect-text.json';

const info = toolTextFrom(text as ConnectText);

/** Attributes the mapping reads, with Personio's own label (what the admin sees in Personio). */
export const PERSONIO_REQUIREMENTS: Requirement[] = info.requirements;
export const PERSONIO_CONNECT: ConnectInfo = info.connect;
/** Settings the gateway reads for Personio (documented in docs/configuration.md). */
export const PERSONIO_SETTINGS: ToolSetting[] = info.settings;

/** Personio allows 60 uploads/min per credential; 55 leaves room for the client's own 429/503 retries. */
export const PERSONIO_UPLOAD_RATE = { perWindow: 55, windowMs: 60_000 };

/** Personio's own attributes are named; the company's custom ones are `dynamic_<n>`. */
export const personioFieldKind = (key: string): 'DEFAULT' | 'CUSTOM' => (key.startsWith('dynamic_') ? 'CUSTOM' : 'DEFAULT');
