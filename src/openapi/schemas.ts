import type { SchemaObject } from 'openapi3-ts/oas31';

/** Small helpers for hand-written response schemas (OpenAPI 3.1 = JSON Schema 2020-12). */
// An enum must list null itself: JSON Schema checks `enum` independently of `type`.
export const nullable = (s: SchemaObject): SchemaObject =>
  typeof s.type === 'string'
    ? { ...s, type: [s.type, 'null'], ...(s.enum && !s.enum.includes(null) ? { enum: [...s.enum, null] } : {}) }
    : { anyOf: [s, { type: 'null' }] };

export const str = (description?: string): SchemaObject => ({ type: 'string', ...(description ? { description } : {}) });
export const nstr = (description?: string): SchemaObject => nullable(str(description));
export const dateTime = (description?: string): SchemaObject => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
export const ndateTime = (description?: string): SchemaObject => nullable(dateTime(description));
export const int = (description?: string): SchemaObject => ({ type: 'integer', ...(description ? { description } : {}) });
export const bool = (description?: string): SchemaObject => ({ type: 'boolean', ...(description ? { description } : {}) });
export const enumOf = (values: readonly string[], description?: string): SchemaObject => ({
  type: 'string',
  enum: [...values],
  ...(description ? { description } : {}),
});

export function obj(properties: Record<string, SchemaObject>, required: string[] = Object.keys(properties)): SchemaObject {
  return { type: 'object', properties, required };
}

/** An object whose properties are all required but the `optional` ones (required stays in property order). */
export function objRequiringAllBut(properties: Record<string, SchemaObject>, optional: readonly string[]): SchemaObject {
  return obj(
    properties,
    Object.keys(properties).filter((key) => !optional.includes(key)),
  );
}

export const arrayOf = (items: SchemaObject): SchemaObject => ({ type: 'array', items });
