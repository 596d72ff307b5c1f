// What every connector's CredentialSpec.validate does with one text field: trim it,
// say when it is missing, say when it does not look right. The messages stay the
// connector's own (they name the tool); the sequence has one owner here.

export interface CredentialFieldError {
  field: string;
  message: string;
}

/** The submitted credentials as an object (anything else reads as no fields). */
export function credentialInput(input: unknown): Record<string, unknown> {
  return (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
}

/** The trimmed value of `field` ('' when absent); a missing or malformed one adds its message to `errors`. */
export function credentialText(
  o: Record<string, unknown>,
  field: string,
  errors: CredentialFieldError[],
  check: { missing: string; malformed: string; looksRight(value: string): boolean },
): string {
  const value = typeof o[field] === 'string' ? o[field].trim() : '';
  if (!value) errors.push({ field, message: check.missing });
  else if (!check.looksRight(value)) errors.push({ field, message: check.malformed });
  return value;
}
