import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataSchema } from 'class-validator-jsonschema/build/decorators';
import type { NextFunction, Request, Response } from 'express';
import { inputInvalid } from './errors';

/** Deeper than any request this API documents; a 5,000-deep array would overflow the validator's recursion. */
export const MAX_INPUT_DEPTH = 32;
/** How many offending fields one error message lists: a 400 KB body must not produce a 4 MB message. */
export const MAX_LISTED_ERRORS = 10;

/**
 * Why a value cannot go any further (to class-validator or Postgres), or null. Text
 * Postgres refuses (U+0000) or cannot encode (a lone UTF-16 surrogate) is refused here,
 * once for every route, rather than surfacing as a 500 from whichever query meets it.
 */
export function findHostileInput(value: unknown, root: string, path = '', depth = 0): string | null {
  if (typeof value === 'string') return problemInText(value, path || root);
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_INPUT_DEPTH) return `${path || root} is nested more than ${MAX_INPUT_DEPTH} levels deep.`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findHostileInput(value[i], root, `${path || root}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const field = path ? `${path}.${k}` : k;
    const p = problemInText(k, `a field name in ${path || root}`) ?? findHostileInput(v, root, field, depth + 1);
    if (p) return p;
  }
  return null;
}

// With the u flag a surrogate pair is one code point, so only unpaired halves match.
const LONE_SURROGATE = /\p{Cs}/u;

export function problemInText(text: string, what: string): string | null {
  if (text.includes('\u0000')) return `${what} contains a NUL character (U+0000), which is not allowed.`;
  if (LONE_SURROGATE.test(text)) return `${what} contains an unpaired UTF-16 surrogate, which is not valid Unicode text.`;
  return null;
}

/**
 * The one gate every request passes before guards, pipes and SQL: path, query and the
 * parsed body are checked by findHostileInput, with the offending parameter named.
 */
export function rejectHostileInput(req: Request, _res: Response, next: NextFunction): void {
  for (const segment of req.path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return next(inputInvalid(`Invalid input: the path segment "${segment.slice(0, 100)}" is not valid percent-encoded UTF-8.`));
    }
    const p = problemInText(decoded, `the path segment ${JSON.stringify(decoded.slice(0, 100))}`);
    if (p) return next(inputInvalid(`Invalid input: ${p}`));
  }
  const problem = findHostileInput(req.query, 'the query string') ?? (req.body !== undefined ? findHostileInput(req.body, 'the body') : null);
  next(problem ? inputInvalid(`Invalid input: ${problem}`) : undefined);
}

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      // class-validator phrases messages with the bare property name; name the full path.
      m.startsWith(e.property) ? `${field}${m.slice(e.property.length)}` : `${field}: ${m}`,
    );
    return [...own, ...describe(e.children ?? [], field)];
  });
}

/** Lists the first MAX_LISTED_ERRORS problems and counts the rest. */
export function summarise(problems: string[]): string {
  const shown = problems.slice(0, MAX_LISTED_ERRORS).map((p) => (p.length > 300 ? `${p.slice(0, 300)}…` : p));
  const more = problems.length - shown.length;
  return `Invalid input: ${shown.join('; ')}${more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : ''}.`;
}

/** True when the property's documented schema (@JSONSchema) lets it be null. */
function documentedNullable(instance: object, key: string): boolean {
  const accepts = (s: Record<string, unknown> | undefined): boolean =>
    !!s &&
    (s.type === 'null' ||
      (Array.isArray(s.type) && s.type.includes('null')) ||
      s.nullable === true ||
      ['anyOf', 'oneOf'].some((k) => Array.isArray(s[k]) && (s[k] as Record<string, unknown>[]).some(accepts)));
  const schema = getMetadataSchema(instance, key) as unknown;
  return typeof schema === 'object' && accepts(schema as Record<string, unknown>);
}

/**
 * class-validator's @IsOptional() lets null through as if the field were absent; the
 * services then meet a null they never expect. A null is accepted only where the
 * field's documented schema says it may be null.
 */
function unexpectedNulls(value: unknown, parent = '', depth = 0): string[] {
  if (value === null || typeof value !== 'object' || depth > MAX_INPUT_DEPTH) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unexpectedNulls(v, `${parent}.${i}`, depth + 1));
  if (Object.getPrototypeOf(value) === Object.prototype) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const field = parent ? `${parent}.${k}` : k;
    if (v === null) return documentedNullable(value, k) ? [] : [`${field} must not be null (leave it out instead)`];
    return unexpectedNulls(v, field, depth + 1);
  });
}

/** Global DTO validation: unknown fields are refused, null only where documented, every offending field named. */
class GatewayValidationPipe extends ValidationPipe {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A DTO is an object; an array would be validated element by element (100,000 of them in a 300 KB body).
    if (metadata.type === 'body' && Array.isArray(value) && metadata.metatype && this.toValidate(metadata)) {
      throw inputInvalid('Invalid input: the body must be a JSON object, not an array.');
    }
    const out: unknown = await super.transform(value, metadata);
    if (metadata.type === 'body' || metadata.type === 'query') {
      const nulls = unexpectedNulls(out);
      if (nulls.length) throw inputInvalid(summarise(nulls));
    }
    return out;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new GatewayValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => inputInvalid(summarise(describe(errors))),
  });
}
