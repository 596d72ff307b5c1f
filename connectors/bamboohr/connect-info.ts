// What the connect page shows for BambooHR and the gateway settings it reads.
// A BambooHR API key sees what its creator's access level sees (NOTES §3.2),
// so requirements are the fields and tools that access level must include.
import { connectInfoFrom, requirementsFrom, type ConnectText } from '../connect-kit';
import type { ConnectInfo, Requirement, ToolSetting } from '../connector';
import text from './connect-text.json';

/**
 * Keys are BambooHR field aliases (what get-employee and `_restrictedFields`
 * name), `reportsTo` for the manager (list field `reportsToId`), and `table:…`,
 * `files`, `training`, `changes` for what check() probes beyond fields.
 */
export const BAMBOOHR_REQUIREMENTS: Requirement[] = requirementsFrom(text as ConnectText);

export const BAMBOOHR_CONNECT: ConnectInfo = connectInfoFrom(text as ConnectText, BAMBOOHR_REQUIREMENTS);

export const BAMBOOHR_SETTINGS: ToolSetting[] = [
  { key: 'baseUrl', env: 'BAMBOOHR_BASE_URL', kind: 'url', description: 'BambooHR API origin for integrations without their own base URL (default https://api.bamboohr.com; point it at the simulator in development). The path /api/gateway.php/{companyDomain}/v1 is added.' },
  { key: 'readStrategy', env: 'BAMBOOHR_READ_STRATEGY', kind: 'string', description: '"report" (default): full reads take every record from one custom report, falling back to one request per employee when BambooHR refuses it; "records": always one request per employee.' },
  { key: 'terminatedStatuses', env: 'BAMBOOHR_TERMINATED_STATUSES', kind: 'string', description: 'Comma-separated BambooHR employment status values that mean the person has left (default "Terminated").' },
  { key: 'leaveStatuses', env: 'BAMBOOHR_LEAVE_STATUSES', kind: 'string', description: 'Comma-separated BambooHR employment status values that mean leave (default "Leave of Absence,Furloughed").' },
  { key: 'divisionGroupType', env: 'BAMBOOHR_DIVISION_GROUP_TYPE', kind: 'string', description: 'Unified group type of BambooHR divisions: empty (untyped, default) or DEPARTMENT.' },
  { key: 'shareDocuments', env: 'BAMBOOHR_SHARE_DOCUMENTS', kind: 'string', description: '"yes" shares uploaded documents with the employee in BambooHR; default "no".' },
  { key: 'certificateCategory', env: 'BAMBOOHR_CERTIFICATE_CATEGORY', kind: 'string', description: 'File category for training certificates sent without one (found or created by name; default "Training Certificates").' },
];
