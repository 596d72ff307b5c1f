import fc from 'fast-check';

/** The parts of an OpenAPI 3.1 schema the generator reads. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
}

/** Strings that broke or could break a layer: NUL, lone surrogates, cursor look-alikes, huge, SQL, paths, numbers as text. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\udfff\ud800',
  '%00',
  '%ED%A0%80',
  '2024|x',
  'MjAyNHx4',
  'eyJhdCI6IjIwMjQiLCJpZCI6IngifQ',
  "' OR 1=1 --",
  '"; DROP TABLE x; --',
  '../../etc/passwd',
  '\\',
  '{}',
  '[]',
  'null',
  'true',
  '-1',
  '0',
  '1e309',
  'NaN',
  '99999999999999999999',
  '2024-13-45T25:61:00Z',
  '0000-00-00',
  'personio:xxxxxxxxxxxxxxxxxxxxxxxx',
  '🙂',
  'ä\u200b\ufeff',
  'a'.repeat(5000),
  'http://127.0.0.1:1/x',
  'file:///etc/passwd',
];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

/** Arrays nested `depth` deep, kept as a count: JSON.stringify of the real thing overflows the test's own stack. */
export class Deep {
  constructor(readonly depth: number) {}
}

/** A nesting far deeper than anything the API accepts. */
const deep = fc.integer({ min: 30, max: 5000 }).map((n) => new Deep(n));

/** JSON text of a generated value (Deep written out as brackets). */
export function toJson(v: unknown): string {
  if (v instanceof Deep) return `${'['.repeat(v.depth)}${']'.repeat(v.depth)}`;
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** Values of the wrong kind for any field. */
const wrongKind: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, true, false),
  fc.constant({}),
  fc.constant([]),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  deep,
  hostileString,
);

export class SchemaArbitraries {
  constructor(private readonly components: Record<string, Schema>) {}

  private resolve(s: Schema): Schema {
    let cur = s;
    for (let i = 0; cur.$ref && i < 10; i++) cur = this.components[cur.$ref.split('/').pop()!] ?? {};
    return cur;
  }

  /** A value for `schema`: usually plausible, often hostile, sometimes of the wrong kind altogether. */
  value(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    return fc.oneof({ weight: 4, arbitrary: this.plausible(schema, depth) }, { weight: 1, arbitrary: wrongKind });
  }

  private plausible(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const variants = s.anyOf ?? s.oneOf ?? s.allOf;
    if (variants?.length) return fc.oneof(...variants.map((v) => this.plausible(v, depth)));
    if (s.const !== undefined) return fc.constant(s.const);
    if (s.enum?.length) return fc.oneof(fc.constantFrom(...s.enum), hostileString);
    const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'null') : s.type;
    switch (type) {
      case 'string':
        if (s.format === 'date-time')
          return fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            hostileString,
          );
        if (s.format === 'date') return fc.oneof(fc.constantFrom('2025-01-31', '2025-02-30'), hostileString);
        if (s.format === 'uri') return fc.oneof(fc.constantFrom('http://127.0.0.1:1/cert.pdf', 'https://127.0.0.1:1/hook', 'ftp://x'), hostileString);
        return hostileString;
      case 'integer':
      case 'number':
        return fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 53, s.minimum ?? 1, s.maximum ?? 100));
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return depth > 4 ? fc.constant([]) : fc.array(this.value(s.items ?? {}, depth + 1), { maxLength: 4 });
      case 'object':
      default:
        if (!s.properties || depth > 4) return fc.dictionary(fc.string({ maxLength: 8 }), hostileString, { maxKeys: 3 });
        return fc.record(Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, this.value(v, depth + 1)])), { requiredKeys: [] }).chain((o) =>
          fc.oneof(
            { weight: 5, arbitrary: fc.constant(o) },
            // An unknown field, possibly with a hostile name.
            { weight: 1, arbitrary: fc.tuple(hostileString, wrongKind).map(([k, v]) => ({ ...o, [k || 'x']: v })) },
          ),
        );
    }
  }

  /** A parameter as text: what a query string, header or path segment carries. */
  text(schema: Schema): fc.Arbitrary<string> {
    return this.value(schema).map((v) => (typeof v === 'string' ? v : toJson(v)));
  }
}
