// What the connect page shows for BambooHR and the gateway settings it reads.
// A BambooHR API key sees what its creator's access level sees (NOTES §3.2),
// so requirements are the fields and tools that access level must include.
import { toolTextFrom, type ConnectText } from '../connect-kit';
import type { ConnectInfo, Requirement, ToolSetting } from '../connector';
import text from './connect-text.json';

const info = toolTextFrom(text as ConnectText);

/**
 * Keys are BambooHR field aliases (what get-employee and `_restrictedFields`
 * name), `reportsTo` for the manager (list field `reportsToId`), and `table:…`,
 * `files`, `training`, `changes`, `webhooks` for what check() probes beyond fields.
 */
export const BAMBOOHR_REQUIREMENTS: Requirement[] = info.requirements;
export const BAMBOOHR_CONNECT: ConnectInfo = info.connect;
/** Settings the gateway reads for BambooHR (documented in docs/configuration.md). */
export const BAMBOOHR_SETTINGS: ToolSetting[] = info.settings;
