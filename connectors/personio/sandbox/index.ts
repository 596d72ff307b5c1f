/**
 * Personio simulator (v1 Personnel Data API, v2 auth/persons/employments/webhooks) for tests and benchmarks; see docs/personio-sandbox.md.
 */
export type { PersonioSandbox, PersonioSandboxOptions, RequestLogEntry, SandboxCredential, SandboxFaults, UploadedDocument } from './types';
export { startPersonioSandbox } from './sandbox';
export { ATTRIBUTE_KEYS } from './attributes';
export { CUSTOM_ATTRIBUTES } from './model';
export { ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES } from './documents-api';
export { DEFAULT_CATEGORIES } from './state';
export type { DeliveryAttempt, WebhookEvent, WebhookSettings } from './types';
export { DEFAULT_WEBHOOK_SETTINGS, EMPLOYMENT_UPDATED_FIELDS, PERSON_UPDATED_FIELDS, RETRY_DELAYS_3D, RETRY_DELAYS_6D } from './webhook-settings';
export { WEBHOOK_EVENTS } from './webhooks';
