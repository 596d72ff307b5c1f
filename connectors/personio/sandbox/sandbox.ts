import { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxHost } from '../../sandbox-kit/server';
import { handleControl } from './control-api';
import { employeeObject } from './employees-api';
import { Reply, json, write } from './http-util';
import { NO_FAULTS, SandboxState, resolveOptions } from './state';
import { PersonioSandbox, PersonioSandboxOptions, RequestLogEntry, SandboxCredential, SandboxFaults, UploadedDocument, WebhookSettings } from './types';
import { handleV1 } from './v1-router';
import { handleV2 } from './v2-router';
import { employmentIdOf } from './events';
import { mergeWebhookSettings } from './webhook-settings';
import { DeliveryAttempt, WebhookEvent, renderWebhook } from './webhooks';

class Sandbox extends SandboxHost<RequestLogEntry> implements PersonioSandbox {
  readonly defaultCredential: SandboxCredential;

  constructor(readonly state: SandboxState) {
    // Date-driven events fire when simulated days pass.
    super(state, () => state.eventSource.scanDates());
    this.defaultCredential = state.auth.add({ clientId: 'papi-sandbox-default-client', clientSecret: 'papi-sandbox-default-secret' });
  }

  protected async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname.startsWith('/_sandbox')) return write(res, await handleControl(this, req, url.pathname, url.searchParams));
    if (url.pathname.startsWith('/v1/') || url.pathname === '/v1') return await handleV1(this.state, req, res, url.pathname, url.searchParams);
    if (url.pathname.startsWith('/v2/')) return await handleV2(this.state, req, res, url.pathname, url.searchParams);
    write(res, json(404, { success: false, error: { code: 404, message: 'Not Found' } }));
  }

  protected errorReply(message: string): Reply {
    return json(500, { success: false, error: { code: 0, message } });
  }

  protected stopDeliveries(): void {
    this.state.delivery.stop();
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
}

export async function startPersonioSandbox(opts: PersonioSandboxOptions = {}): Promise<PersonioSandbox> {
  const options = resolveOptions(opts);
  const sandbox = new Sandbox(new SandboxState(options));
  await sandbox.listen(options.port, options.host);
  return sandbox;
}
