// A connector's half of the connect page (connector.ts ConnectInfo) from its text
// file: the guide, the requirements and the hint, in English and German. The text
// lives in `<tool>/connect-text.json` so translators edit data, not code; the
// tool's gateway settings are described there too.
import type { ConnectInfo, Localized, Requirement, ToolSetting } from './connector';

/** `[key, label en, label de, why en, why de]` */
type Row = string[];

export interface ConnectText {
  requirements: {
    /** Fields the key or credential must be allowed to read. */
    attributes: Row[];
    /** Fields that only add what `why` says. */
    optionalAttributes?: Row[];
    /** Rights beyond fields (documents, training, …); never needed to connect. */
    permissions?: Row[];
  };
  guide: { title: Localized; steps: Array<{ en: string; de: string; listRequirements?: boolean }> };
  missingHint: Localized;
  /** The tool's gateway settings (key, environment variable, kind, description). */
  settings: Array<{ key: string; env: string; kind: string; description: string }>;
}

function requirement(kind: Requirement['kind'], row: Row, optional: boolean): Requirement {
  const [key, en, de, whyEn, whyDe] = row;
  if (whyDe === undefined) throw new Error(`connect text: requirement ${key} needs key, two labels and two reasons`);
  return { kind, key, label: { en, de }, why: { en: whyEn, de: whyDe }, ...(optional ? { optional } : {}) };
}

/** Required attributes, then optional ones, then permissions (the order the connect page lists them in). */
function requirementsFrom(t: ConnectText): Requirement[] {
  const r = t.requirements;
  return [
    ...r.attributes.map((row) => requirement('attribute', row, false)),
    ...(r.optionalAttributes ?? []).map((row) => requirement('attribute', row, true)),
    ...(r.permissions ?? []).map((row) => requirement('permission', row, true)),
  ];
}

/** Everything a connector's text file gives: the connect page's half, its requirements, and the tool's settings. */
export function toolTextFrom(t: ConnectText): { connect: ConnectInfo; requirements: Requirement[]; settings: ToolSetting[] } {
  const requirements = requirementsFrom(t);
  return { connect: connectInfoFrom(t, requirements), requirements, settings: t.settings.map(setting) };
}

function setting(s: ConnectText['settings'][number]): ToolSetting {
  if (s.kind !== 'url' && s.kind !== 'string') throw new Error(`connect text: setting ${s.key} has kind ${s.kind}, not url or string`);
  return { key: s.key, env: s.env, kind: s.kind, description: s.description };
}

function connectInfoFrom(t: ConnectText, requirements: Requirement[]): ConnectInfo {
  return {
    guide: {
      title: t.guide.title,
      steps: t.guide.steps.map(({ en, de, listRequirements }) => ({ text: { en, de }, ...(listRequirements ? { listRequirements } : {}) })),
    },
    requirements,
    missingHint: t.missingHint,
  };
}
