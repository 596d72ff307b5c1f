import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { handleControl } from './control-api';
import { employeeObject } from './employees-api';
import { json, write } from './http-util';
import { NO_FAULTS, SandboxState, resolveOptions } from './state';
import { PersonioSandbox, PersonioSandboxOptions, SandboxCredential, SandboxFaults, UploadedDocument, WebhookSettings } from './types';
import { handleV1 } from './v1-router';
import { handleV2 } from './v2-router';
import { employmentIdOf } from './events';
import { mergeWebhookSettings } from './webhook-settings';
import { DeliveryAttempt, WebhookEvent, renderWebhook } from './webhooks';

class Sandbox implements PersonioSandbox {
  url = '';
  readonly defaultCredential: SandboxCredential;
  private readonly sockets = new Set<Socket>();
  readonly server: Server;
  private readonly dateTimer: NodeJS.Timeout;

  constructor(readonly state: SandboxState) {
    this.defaultCredential = state.auth.add({ clientId: 'papi-sandbox-default-client', clientSecret: 'papi-sandbox-default-secret' });
    this.server = createServer((req, res) => void this.dispatch(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    // Date-driven events when simulated days pass on their own (real time × timeScale).
    this.dateTimer = setInterval(() => state.eventSource.scanDates(), 1000);
    this.dateTimer.unref();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    try {
      if (url.pathname.startsWith('/_sandbox')) return write(res, await handleControl(this, req, url.pathname, url.searchParams));
      if (url.pathname.startsWith('/v1/') || url.pathname === '/v1') return await handleV1(this.state, req, res, url.pathname, url.searchParams);
      if (url.pathname.startsWith('/v2/')) return await handleV2(this.state, req, res, url.pathname, url.searchParams);
      write(res, json(404, { success: false, error: { code: 404, message: 'Not Found' } }));
    } catch (err) {
      if (!res.headersSent) write(res, json(500, { success: false, error: { code: 0, message: `sandbox error: ${(err as Error).message}` } }));
      else res.destroy();
    }
  }

  addCredential(c?: Partial<SandboxCredential>): SandboxCredential {
    return this.state.auth.add(c);
  }

  setWhitelist(clientId: string, attributes: string[] | 'all', scopes?: string[]): void {
    this.state.auth.setWhitelist(clientId, attributes, scopes);
  }

  setFaults(f: Partial<SandboxFaults>): void {
    this.state.setFaults(f);
  }

  resetFaults(): void {
    this.state.faults = { ...NO_FAULTS };
  }

  faults(): SandboxFaults {
    return { ...this.state.faults };
  }

  setClock(now: Date): void {
    if (Number.isNaN(now.getTime())) throw new Error('setClock needs a valid date');
    this.state.clock.set(now);
    this.state.eventSource.scanDates();
  }

  advanceClock(ms: number): void {
    this.state.clock.advance(ms);
    this.state.eventSource.scanDates();
  }

  now(): Date {
    return new Date(this.state.clock.now());
  }

  hire(overrides: Record<string, unknown> = {}): { id: number } {
    return { id: this.state.store.hire(this.state.clock.now(), overrides).id };
  }

  change(id: number, changes: Record<string, unknown>): void {
    this.state.store.change(id, changes, this.state.clock.now());
  }

  terminate(id: number, terminationDate: string): void {
    this.state.store.terminate(id, terminationDate, this.state.clock.now());
  }

  remove(id: number): void {
    this.state.store.remove(id, this.state.clock.now());
  }

  get companyId(): string {
    return this.state.webhookSettings.companyId;
  }

  webhookSettings(): WebhookSettings {
    return { ...this.state.webhookSettings, retryDelaysMs: [...this.state.webhookSettings.retryDelaysMs] };
  }

  setWebhookSettings(s: Partial<WebhookSettings>): void {
    this.state.webhookSettings = mergeWebhookSettings(this.state.webhookSettings, s);
  }

  webhooks(): Array<Record<string, unknown>> {
    return [...this.state.webhooks.values()].map((w) => renderWebhook(w, { ...this.state.webhookSettings, exposeToken: true }));
  }

  events(): WebhookEvent[] {
    return this.state.events.map((e) => structuredClone(e));
  }

  deliveries(): DeliveryAttempt[] {
    return this.state.delivery.attempts.map((a) => ({ ...a }));
  }

  clearDeliveries(): void {
    this.state.delivery.attempts.length = 0;
  }

  publishEvent(eventName: string, payload: Record<string, unknown>, occurredAt?: Date): WebhookEvent {
    const e = this.state.eventSource.make(eventName, payload, (occurredAt ?? this.now()).getTime());
    this.state.publishEvent(e);
    return structuredClone(e);
  }

  deliveriesIdle(timeoutMs?: number): Promise<void> {
    return this.state.delivery.idle(timeoutMs);
  }

  employmentId(personId: number): string {
    return employmentIdOf(personId, this.state.options.seed);
  }

  addDocumentCategory(name: string): { id: number; name: string } {
    return this.state.addCategory(name);
  }

  uploadedDocuments(): UploadedDocument[] {
    return this.state.documents.map((d) => ({ ...d }));
  }

  employeeIds(): number[] {
    return this.state.store.ids();
  }

  employeeRaw(id: number, clientId?: string): unknown {
    const credential = clientId ? this.state.auth.get(clientId) : this.defaultCredential;
    if (!credential) throw new Error(`unknown clientId ${clientId}`);
    return employeeObject(this.state, credential, id);
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
    this.state.delivery.stop();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }
}

export async function startPersonioSandbox(opts: PersonioSandboxOptions = {}): Promise<PersonioSandbox> {
  const options = resolveOptions(opts);
  const sandbox = new Sandbox(new SandboxState(options));
  await sandbox.listen(options.port, options.host);
  return sandbox;
}
