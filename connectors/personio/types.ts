// Raw Personio v1 payload shapes, typed loosely: only whitelisted attributes
// arrive, values are often "" instead of null, and numbers come as strings.
// The mapping treats everything here as untrusted.

export interface PersonioCredentials {
  clientId: string;
  clientSecret: string;
}

/** Personio's attribute type enum (TypeEnum in the v1 spec). */
export type PersonioAttributeType = 'standard' | 'date' | 'integer' | 'decimal' | 'list' | 'link' | 'tags' | 'multiline' | (string & {});

export interface PersonioAttribute<V = unknown> {
  label?: string;
  value: V;
  type?: PersonioAttributeType;
  universal_id?: string | null;
  currency?: string;
}

/** A nested object value: `{type: "Department", attributes: {id, name}}`. */
export interface PersonioNestedObject {
  type?: string;
  attributes?: Record<string, unknown>;
}

export interface PersonioEmployee {
  type?: string;
  attributes: Record<string, PersonioAttribute | undefined>;
}

export interface PersonioListResponse<T> {
  success: boolean;
  metadata?: { total_elements?: number; current_page?: number; total_pages?: number };
  offset?: number | string;
  limit?: number | string;
  data: T[];
}

export interface PersonioAttributeDefinition {
  key: string;
  label: string;
  type: PersonioAttributeType;
  universal_id: string | null;
  options?: string[];
}

export interface PersonioDocumentCategory {
  id: number | string;
  type?: string;
  attributes?: { name?: string };
}
