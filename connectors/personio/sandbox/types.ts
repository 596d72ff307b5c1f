/** Public types of the sandbox; re-exported by index.ts. */
export interface PersonioSandboxOptions {
  employees?: number;          // default 50
  seed?: number;               // default 1
  port?: number;               // default 0 (random free port)
  host?: string;               // default '127.0.0.1'
  timeScale?: number;          // default 1; 60 => a 60 s rate-limit window lasts 1 s, cool-downs too
  rateLimits?: boolean;        // default true; false disables every rate limit (benchmarks)
  legacyRotatingTokens?: boolean;   // default false
  rejectQueryCredentials?: boolean; // default true (the 2026-12 removal)
  utcOffset?: string;          // account offset used in date strings, default '+01:00'
  now?: Date;                  // initial simulated clock; default: real time
  /** Old behaviour switches (live behaviour is the default). */
  legacyLimit200?: boolean;              // limit cap 200 instead of 100 (before 2025-01-31)
  updatedSinceIgnoresPagination?: boolean; // the spec's text: limit/offset ignored with updated_since
  invalidTokenStatus?: 401 | 403;        // status for unknown/expired/revoked tokens; default 401
  requestLogLimit?: number;              // ring size of the request log; default 10000
  /** A status change caused only by a date passing also moves last_modified_at; default false (modelled assumption: real Personio does not). */
  datesTouchLastModified?: boolean;
}

export interface SandboxCredential { clientId: string; clientSecret: string; attributes: string[] | 'all'; scopes: string[] }

export interface SandboxFaults {
  serverErrorRate: number;     // 0..1 → 500/502/503 on v1 data calls
  latencyMs: number;           // added to every v1 response
  resetRate: number;           // 0..1 → socket destroyed without a response
  truncatedJsonRate: number;   // 0..1 → 200 with a cut-off JSON body
  rateLimitBurst: number;      // next N v1 data calls answer 429
  revokeTokensAfterRequests: number | null; // after N more data calls every issued token becomes invalid (401)
  shiftRecordsBetweenPages: 'insert' | 'delete' | null; // between two page calls of the same listing, hire/delete one employee that moves records across page boundaries
  uploadFailureRate: number;   // 0..1 → 5xx on POST /v1/company/documents
}

export interface UploadedDocument {
  id: number; employeeId: number; categoryId: number; title: string; comment: string | null; date: string | null;
  fileName: string; contentType: string; bytes: Buffer; createdAt: Date;
}

export interface RequestLogEntry { at: number; method: string; path: string; status: number; clientId: string | null }

export interface PersonioSandbox {
  url: string;
  defaultCredential: SandboxCredential;
  addCredential(c?: Partial<SandboxCredential>): SandboxCredential;
  setWhitelist(clientId: string, attributes: string[] | 'all', scopes?: string[]): void;
  setFaults(f: Partial<SandboxFaults>): void;
  resetFaults(): void;
  faults(): SandboxFaults;
  setClock(now: Date): void;
  advanceClock(ms: number): void;
  now(): Date;
  hire(overrides?: Record<string, unknown>): { id: number };
  change(id: number, changes: Record<string, unknown>): void;
  terminate(id: number, terminationDate: string): void;
  remove(id: number): void;
  addDocumentCategory(name: string): { id: number; name: string };
  uploadedDocuments(): UploadedDocument[];
  employeeIds(): number[];
  employeeRaw(id: number, clientId?: string): unknown;
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  close(): Promise<void>;
}
