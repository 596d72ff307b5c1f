import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { handleControl } from './control-api';
import { json, send } from './http';
import { NO_FAULTS, SandboxState, resolveOptions } from './state';
import { handleApi } from './router';
import {
  ApiKey, BambooSandbox, BambooSandboxOptions, BehaviourSwitches, DeliveryAttempt, RateLimitSettings, SandboxFaults, StoredFile, TableName,
  TrainingRecordRow, TrainingTypeRecord, WebhookSettings,
} from './types';
import { employeeFields, renderRow } from './views';

class Sandbox implements BambooSandbox {
  url = '';
  private readonly sockets = new Set<Socket>();
  readonly server: Server;
  readonly apiKey: string;
  private readonly dateTimer: NodeJS.Timeout;

  constructor(readonly state: SandboxState) {
    // Dated changes fire their webhooks when simulated days pass on their own.
    this.dateTimer = setInterval(() => state.scanDates(), 1000);
    this.dateTimer.unref();
    this.apiKey = [...state.keys.keys()][0];
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
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

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    try {
      if (url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/')) return send(res, await handleControl(this, req, url.pathname, url.searchParams));
      await handleApi(this.state, req, res, url);
    } catch (err) {
      if (!res.headersSent) send(res, json(500, { error: `sandbox error: ${(err as Error).message}` }));
      else res.destroy();
    }
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

  setClock(now: Date): void {
    if (Number.isNaN(now.getTime())) throw new Error('setClock needs a valid date');
    this.state.clock.set(now);
    this.state.scanDates();
  }

  advanceClock(ms: number): void {
    this.state.clock.advance(ms);
    this.state.scanDates();
  }

  now(): Date {
    return new Date(this.state.now());
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
      date, employmentStatus: 'Terminated', comment: null, terminationReasonId: opts.reason ?? 'Relocation',
      terminationTypeId: opts.type ?? 'Resignation (Voluntary)', terminationRehireId: 'Yes', terminationRegrettableId: null,
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
    return { ...this.state.webhookSettings, retryDelaysMs: [...this.state.webhookSettings.retryDelaysMs], allowedHosts: [...this.state.webhookSettings.allowedHosts] };
  }

  setWebhookSettings(s: Partial<WebhookSettings>): void {
    for (const k of Object.keys(s)) if (!(k in this.state.webhookSettings)) throw new Error(`unknown webhook setting ${k}`);
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

  requestLog() {
    return this.state.log.map((e) => ({ ...e }));
  }

  clearRequestLog(): void {
    this.state.log.length = 0;
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const addr = this.server.address() as AddressInfo;
        this.url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
        this.state.baseUrl = this.url;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    clearInterval(this.dateTimer);
    this.state.deliveryQueue.stop();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }
}

export async function startBambooSandbox(opts: BambooSandboxOptions = {}): Promise<BambooSandbox> {
  const options = resolveOptions(opts);
  const sandbox = new Sandbox(new SandboxState(options));
  await sandbox.listen(options.port, options.host);
  return sandbox;
}
