// Kombo's OpenAPI document from ../shared/reference (never copied into the project):
// which error codes each of Kombo's operations may answer.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const KOMBO_REFERENCE = path.resolve(__dirname, '..', '..', '..', 'shared', 'reference', 'kombo', 'kombo-openapi.json');
export const haveKomboReference = fs.existsSync(KOMBO_REFERENCE);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface KomboOperation {
  method: string;
  /** As in Kombo's document, e.g. /hris/absences/{absence_id} (no /v1). */
  path: string;
  operationId: string;
  /** Name of the error response component, e.g. ErrorResponseHRIS. */
  errorSchema: string;
  /** The codes that component allows. */
  codes: string[];
  deprecated: boolean;
}

export class KomboReference {
  readonly doc: Json = JSON.parse(fs.readFileSync(KOMBO_REFERENCE, 'utf8'));
  readonly operations: KomboOperation[] = [];

  constructor() {
    for (const [p, item] of Object.entries(this.doc.paths as Json)) {
      for (const [method, op] of Object.entries(item as Json)) {
        const ref: string | undefined = op?.responses?.default?.$ref;
        if (!ref) continue;
        const errorSchema = ref.split('/').pop()!;
        this.operations.push({
          method: method.toUpperCase(),
          path: p,
          operationId: op.operationId,
          errorSchema,
          codes: this.familyCodes(errorSchema),
          deprecated: !!op.deprecated,
        });
      }
    }
  }

  /** The code enum of one error response component (without null). */
  familyCodes(component: string): string[] {
    const schema = this.doc.components.responses[component].content['application/json'].schema;
    return (schema.properties.error.properties.code.enum as Array<string | null>).filter((c): c is string => c !== null);
  }

  /** The operation a request hits: `GET /v1/hris/absences?x=1` → GET /hris/absences (literal paths win over templates). */
  operationFor(method: string, url: string): KomboOperation | undefined {
    const p = new URL(url, 'http://x').pathname.replace(/^\/v1/, '');
    const candidates = this.operations
      .filter((o) => o.method === method.toUpperCase() && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(p))
      .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
    return candidates[0];
  }

  /** An express route of ours (`/v1/integrations/:integration_id`) → Kombo's operation with that path. */
  operationForRoute(method: string, route: string): KomboOperation | undefined {
    const p = route.replace(/^\/v1/, '').replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    return this.operations.find((o) => o.method === method.toUpperCase() && o.path.replace(/\{[^}]+\}/g, '{}') === p.replace(/\{[^}]+\}/g, '{}'));
  }

  /** A component schema with its $refs resolved against the document (for ajv). */
  schema(name: string): Json {
    return { ...this.doc.components.schemas[name], components: this.doc.components };
  }
}
