// What every simulator's in-process handle offers, whatever the tool: faults, the
// simulated clock, the employee ids, webhooks and their deliveries, the request log.
// Each tool's handle extends it with its own surface (credentials, tables, …).

export interface SimulatorHandle<Faults, Settings, Delivery, LogEntry> {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  setFaults(f: Partial<Faults>): void;
  resetFaults(): void;
  faults(): Faults;
  setClock(now: Date): void;
  advanceClock(ms: number): void;
  now(): Date;
  /** Employee ids (deleted ones excluded). */
  employeeIds(): number[];
  remove(id: number): void;
  /** Webhooks (any owner) with their secrets. */
  webhooks(): Array<Record<string, unknown>>;
  webhookSettings(): Settings;
  setWebhookSettings(s: Partial<Settings>): void;
  /** Every delivery request or refusal, in completion order. */
  deliveries(): Delivery[];
  clearDeliveries(): void;
  /** Resolves when no delivery is waiting, in flight or scheduled for retry. */
  deliveriesIdle(timeoutMs?: number): Promise<void>;
  requestLog(): LogEntry[];
  clearRequestLog(): void;
  close(): Promise<void>;
}

/** The faults every simulator offers, all off; each tool's NO_FAULTS adds its own ones. */
export const COMMON_FAULTS_OFF = {
  serverErrorRate: 0,
  latencyMs: 0,
  resetRate: 0,
  truncatedJsonRate: 0,
  rateLimitBurst: 0,
  shiftRecordsBetweenPages: null,
  uploadFailureRate: 0,
};
