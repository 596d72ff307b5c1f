import { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxHost } from '../../sandbox-kit/server';
import { checkKnown } from '../../sandbox-kit/state';
import { handleControl } from './control-api';
import { Reply, json, send } from './http';
import { NO_FAULTS, resolveOptions } from './options';
import { SandboxState } from './state';
import { handleApi } from './router';
import { ApiKey, BambooSandbox, BambooSandboxOptions, BehaviourSwitches, DeliveryAttempt, RateLimitSettings, RequestLogEntry } from './types';
import { SandboxFaults, StoredFile, TableName, TrainingRecordRow, TrainingTypeRecord, WebhookSettings } from './types';
import { employeeFields, renderRow } from './views';

class Sandbox extends SandboxHost<RequestLogEntry> implements BambooSandbox {
  readonly apiKey: string;

  constructor(readonly state: SandboxState) {
    // Dated changes fire their webhooks when simulated days pass.
    super(state, () => state.scanDates());
    this.apiKey = [...state.keys.keys()][0];
  }

  get company(): string {
    return this.state.options.company;
  }

  get baseUrl(): string {
    return `${this.url}/api/v1`;
  }

  get gatewayBaseUrl(): string {
    return `${this.url}/api/gateway.php/${this.company}/v1`;
  }

  protected async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/')) return send(res, await handleControl(this, req, url.pathname, url.searchParams));
    await handleApi(this.state, req, res, url);
  }

  protected errorReply(message: string): Reply {
    return json(500, { error: message });
  }

  protected stopDeliveries(): void {
    this.state.deliveryQueue.stop();
  }

  addApiKey(k?: Partial<ApiKey>): ApiKey {
    return this.state.addKey(k);
  }

  revokeApiKey(key: string): void {
    if (!this.state.keys.delete(key)) throw new Error('unknown API key');
  }

  switches(): BehaviourSwitches {
    return { ...this.state.switches, errorHeaders: [...this.state.switches.errorHeaders], allowedExtensions: [...this.state.switches.allowedExtensions] };
  }

  setSwitches(s: Partial<BehaviourSwitches>): void {
    this.state.setSwitches(s);
  }

  setRateLimit(r: RateLimitSettings | false): void {
    this.state.setRateLimit(r);
  }

  setFaults(f: Partial<SandboxFaults>): void {
    this.state.setFaults(f);
  }

  resetFaults(): void {
    this.state.faults = { ...NO_FAULTS };
    this.state.keysRevoked = false;
  }

  faults(): SandboxFaults {
    return { ...this.state.faults };
  }

  employeeIds(): number[] {
    return [...this.state.employees.keys()].sort((a, b) => a - b);
  }

  employee(id: number, onlyCurrent = true): Record<string, unknown> {
    return employeeFields(this.state.view(), this.state.get(id), onlyCurrent);
  }

  hire(fields: Record<string, unknown> = {}): { id: number } {
    return { id: this.state.hire(fields).id };
  }

  update(id: number, fields: Record<string, unknown>): void {
    this.state.update(id, fields);
  }

  remove(id: number): void {
    this.state.remove(id);
  }

  tableRows(id: number, table: TableName): Array<Record<string, unknown>> {
    const e = this.state.get(id);
    if (!e.tables[table]) throw new Error(`unknown table ${table}`);
    return e.tables[table].map((r) => renderRow(this.state.view(), e, table, r));
  }

  addTableRow(id: number, table: TableName, row: Record<string, unknown>): { rowId: number } {
    return { rowId: this.state.addRow(id, table, row) };
  }

  updateTableRow(id: number, table: TableName, rowId: number, values: Record<string, unknown>): void {
    this.state.updateRow(id, table, rowId, values);
  }

  removeTableRow(id: number, table: TableName, rowId: number): void {
    this.state.removeRow(id, table, rowId);
  }

  terminate(id: number, date: string, opts: { reason?: string; type?: string; inactive?: boolean } = {}): { rowId: number } {
    const rowId = this.state.addRow(id, 'employmentStatus', {
      date,
      employmentStatus: 'Terminated',
      comment: null,
      terminationReasonId: opts.reason ?? 'Relocation',
      terminationTypeId: opts.type ?? 'Resignation (Voluntary)',
      terminationRehireId: 'Yes',
      terminationRegrettableId: null,
    });
    if (opts.inactive) this.state.update(id, { status: 'Inactive' });
    return { rowId };
  }

  fileCategories(): Array<{ id: number; name: string; canUploadFiles: boolean }> {
    return this.state.categories.map((c) => ({ id: c.id, name: c.name, canUploadFiles: c.canUploadFiles }));
  }

  addFileCategory(name: string, canUploadFiles = true): { id: number; name: string } {
    const c = this.state.addCategory(name, canUploadFiles);
    return { id: c.id, name: c.name };
  }

  files(): StoredFile[] {
    return this.state.files.map((f) => ({ ...f }));
  }

  trainingTypes(): TrainingTypeRecord[] {
    return this.state.trainingTypes.map((t) => ({ ...t }));
  }

  addTrainingType(t: Partial<TrainingTypeRecord> & { name: string }): TrainingTypeRecord {
    return { ...this.state.addTrainingType(t) };
  }

  trainingRecords(employeeId?: number): TrainingRecordRow[] {
    return this.state.trainingRecords.filter((r) => employeeId === undefined || r.employeeId === employeeId).map((r) => ({ ...r }));
  }

  webhooks(): Array<Record<string, unknown>> {
    return [...this.state.webhooks.values()].map((w) => ({ ...w, events: [...w.events], postFields: { ...w.postFields } }));
  }

  webhookSettings(): WebhookSettings {
    return {
      ...this.state.webhookSettings,
      retryDelaysMs: [...this.state.webhookSettings.retryDelaysMs],
      allowedHosts: [...this.state.webhookSettings.allowedHosts],
    };
  }

  setWebhookSettings(s: Partial<WebhookSettings>): void {
    checkKnown(s, this.state.webhookSettings, 'webhook setting');
    this.state.webhookSettings = { ...this.state.webhookSettings, ...s };
  }

  deliveries(): DeliveryAttempt[] {
    return this.state.deliveries.map((d) => ({ ...d, headers: { ...d.headers }, employeeIds: [...d.employeeIds] }));
  }

  clearDeliveries(): void {
    this.state.deliveries.length = 0;
  }

  deliveriesIdle(timeoutMs?: number): Promise<void> {
    return this.state.deliveryQueue.idle(timeoutMs);
  }
}

export async function startBambooSandbox(opts: BambooSandboxOptions = {}): Promise<BambooSandbox> {
  const options = resolveOptions(opts);
  const sandbox = new Sandbox(new SandboxState(options));
  await sandbox.listen(options.port, options.host);
  return sandbox;
}
