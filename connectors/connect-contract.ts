// The connector's side of connecting a customer: the credential form, the guide
// and requirements the hosted connect page shows, the check's findings, and the
// tool's own gateway settings. Part of the connector contract (connector.ts).

/** Text in the languages the connect page speaks; `en` is the fallback for every other language. */
export type Localized = { en: string } & Partial<Record<string, string>>;

export interface CredentialField {
  /** Key in the credentials object and name of the connect page's form input. */
  key: string;
  label: Localized;
  /** Secrets are rendered as password inputs and never echoed back. */
  secret: boolean;
  help?: Localized;
  /** Longest accepted input (the form's maxlength). */
  maxLength: number;
}

export type CredentialValidation<C> = { ok: true; value: C } | { ok: false; errors: Array<{ field: string; message: string }> };

export interface CredentialSpec<C> {
  fields: CredentialField[];
  /** Shape check only (no network): trims and returns typed credentials or field errors. */
  validate(input: unknown): CredentialValidation<C>;
}

export interface MissingItem {
  kind: 'attribute' | 'permission';
  /** Machine key, e.g. `last_modified_at` or `documents:write`; names a `Requirement` when the connector declares one. */
  key: string;
  /** Plain words for the customer on the connect page. */
  message: string;
  /** Everything works without it; the message says what granting it adds (shown as a warning, never blocks). */
  optional?: boolean;
}

/** Something `check()` verifies the credentials can read or do, in the customer's words. */
export interface Requirement {
  kind: 'attribute' | 'permission';
  key: string;
  /** The HRIS's own name for it (what the admin sees in the HRIS). */
  label: Localized;
  /** What the gateway uses it for ("employee names"). */
  why: Localized;
  /** Not needed to connect; granting it adds what `why` says. */
  optional?: boolean;
}

/** Everything the hosted connect page shows that is specific to this tool. */
export interface ConnectInfo {
  /** How the customer's admin creates credentials for the form's fields. */
  guide: {
    title: Localized;
    /** Numbered steps; a step with `listRequirements` shows the required attributes' labels under it. */
    steps: Array<{ text: Localized; listRequirements?: boolean }>;
  };
  requirements: Requirement[];
  /** Shown under missing items: where in the HRIS the admin changes what the credentials can read. */
  missingHint: Localized;
}

/** A gateway setting of this tool (API origin, partner ids), read from the environment once at start. */
export interface ToolSetting {
  /** Key in `ConnectorContext.settings`; `baseUrl` is also the default API origin of integrations without their own. */
  key: string;
  /** The environment variable, e.g. `PERSONIO_PARTNER_ID` (documented in docs/configuration.md). */
  env: string;
  kind: 'url' | 'string';
  description: string;
}

export interface CheckResult {
  ok: boolean;
  error?: { kind: 'AUTH' | 'PERMISSION' | 'UNREACHABLE'; message: string };
  missing: MissingItem[];
}
