import { startPersonioSandbox } from '../connectors/personio/sandbox';
import type { PersonioSandbox, SandboxCredential } from '../connectors/personio/sandbox/types';
import { get, token } from '../connectors/personio/sandbox/testing';
import { createPersonioConnector } from '../connectors/personio/connector';
import type { HrisConnector } from '../connectors/connector';
import { sha256Hex, stableId } from '../src/common/ids';
import { DocumentUploadSettings } from '../src/documents/documents.settings';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { startTestGateway, TestGateway } from './support/gateway';

/**
 * A gateway plus a Personio simulator, with one integration whose employees and
 * document categories are stored the way the sync engine stores them (the
 * storage contract), so document tests do not depend on a sync run.
 */
export interface DocumentsWorld {
  gw: TestGateway;
  sandbox: PersonioSandbox;
  integrationId: string;
  /** Gateway employee id by Personio id. */
  employeeId(remoteId: number): string;
  /** Gateway category id by Personio category name. */
  categoryId(name: string): string;
  categoryRemoteId(name: string): number;
  auth: Record<string, string>;
  credential: SandboxCredential;
  close(): Promise<void>;
}

export async function startDocumentsWorld(
  opts: {
    timeScale?: number;
    employees?: number;
    allowPrivateNetworkTargets?: boolean;
    credential?: Partial<SandboxCredential>;
    firstSyncDone?: boolean;
    connector?: HrisConnector<unknown>;
  } = {},
): Promise<DocumentsWorld> {
  const timeScale = opts.timeScale ?? 1;
  const sandbox = await startPersonioSandbox({ employees: opts.employees ?? 10, seed: 7, timeScale });
  let gw: TestGateway;
  try {
    // No background workers: the tables are seeded by hand below, and a scheduled first
    // sync racing those inserts would collide with them.
    // The simulator's minute lasts 60/timeScale s: the connector's client limiter shrinks alike.
    gw = await startTestGateway(
      { role: 'api', allowPrivateNetworkTargets: opts.allowPrivateNetworkTargets ?? true },
      { connectors: { personio: opts.connector ?? (createPersonioConnector({ client: { timeScale } }) as HrisConnector<unknown>) } },
    );
  } catch (e) {
    await sandbox.close();
    throw e;
  }
  // …and so does the gateway's upload queue window.
  gw.app.get(DocumentUploadSettings).useTimeScale(timeScale);
  const credential = opts.credential ? sandbox.addCredential(opts.credential) : sandbox.defaultCredential;
  const integration = await gw.app.get(IntegrationsService).create({
    environmentId: gw.environmentId,
    tool: 'personio',
    credentials: { clientId: credential.clientId, clientSecret: credential.clientSecret },
    baseUrl: sandbox.url,
    endUserOrganizationName: 'Acme GmbH',
  });
  const id = integration.id;
  if (opts.firstSyncDone !== false) {
    await gw.ds.query(`UPDATE integrations SET first_sync_completed_at = now(), setup_status = 'COMPLETED' WHERE id = $1`, [id]);
  }
  const insert = async (table: string, model: string, remoteId: string, data: Record<string, unknown>, extra: Record<string, unknown>) => {
    const row: Record<string, unknown> = {
      integration_id: id,
      id: stableId(id, model, remoteId),
      remote_id: remoteId,
      data: JSON.stringify(data),
      data_hash: sha256Hex(JSON.stringify(data)),
      changed_at: new Date(),
      ...extra,
    };
    const cols = Object.keys(row);
    await gw.ds.query(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      cols.map((c) => row[c]),
    );
  };
  for (const remote of sandbox.employeeIds()) await insert('hris_employees', 'employees', String(remote), { first_name: `E${remote}` }, {});
  const categories = new Map<string, number>();
  for (const c of await sandboxCategories(sandbox)) {
    categories.set(c.name, c.id);
    await insert('hris_document_categories', 'employee_document_categories', String(c.id), { name: c.name }, { name: c.name });
  }
  return {
    gw,
    sandbox,
    integrationId: id,
    employeeId: (remote) => stableId(id, 'employees', String(remote)),
    categoryId: (name) => stableId(id, 'employee_document_categories', String(categories.get(name))),
    categoryRemoteId: (name) => categories.get(name)!,
    auth: { Authorization: `Bearer ${gw.apiKey}`, 'X-Integration-Id': id },
    credential,
    async close() {
      await gw.close();
      await sandbox.close();
    },
  };
}

/** The simulator's categories, read over its API as the sync would. */
export async function sandboxCategories(sandbox: PersonioSandbox): Promise<Array<{ id: number; name: string }>> {
  const res = await get(sandbox, '/v1/company/document-categories', await token(sandbox));
  return (res.json.data as Array<{ id: number; attributes: { name: string } }>).map((c) => ({ id: c.id, name: c.attributes.name }));
}

/** A small but real PDF with the course name and completion date in it. */
export function certificatePdf(course: string, completed: string): Buffer {
  const text = `Certificate of completion: ${course} (${completed})`;
  return Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% ${text}\n%%EOF\n`, 'latin1');
}
