/**
 * Minimal XML writer for BambooHR's classic XML answers (element/attribute shapes follow the spec's
 * `xml:` hints and the docs' XML samples; anything finer is not modelled).
 */
export interface XmlNode {
  name: string;
  attrs?: Record<string, string | number | boolean | null | undefined>;
  children?: XmlNode[];
  text?: string | null;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]);

function render(n: XmlNode, out: string[]): void {
  const attrs = Object.entries(n.attrs ?? {})
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  const kids = n.children ?? [];
  if (kids.length === 0 && (n.text === null || n.text === undefined || n.text === '')) {
    out.push(`<${n.name}${attrs}/>`);
    return;
  }
  out.push(`<${n.name}${attrs}>`);
  if (n.text !== null && n.text !== undefined) out.push(escapeXml(n.text));
  for (const k of kids) render(k, out);
  out.push(`</${n.name}>`);
}

export function toXml(root: XmlNode): string {
  const out: string[] = ['<?xml version="1.0"?>\n'];
  render(root, out);
  out.push('\n');
  return out.join('');
}

/** Scalar → element text the way BambooHR writes it (booleans as true/false, objects as "value currency"). */
export function xmlText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && !Array.isArray(v) && v && 'value' in v && 'currency' in v) {
    const m = v as { value: string; currency: string };
    return `${m.value} ${m.currency}`;
  }
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

/** `<field id="alias">value</field>` children for one flat record. */
export function fieldNodes(record: Record<string, unknown>, skip: string[] = []): XmlNode[] {
  return Object.entries(record)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => ({ name: 'field', attrs: { id: k }, text: xmlText(v) }));
}
