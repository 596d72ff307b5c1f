/**
 * Personio simulator (v1 Personnel Data API) for tests and benchmarks; see docs/personio-sandbox.md.
 */
export type {
  PersonioSandbox, PersonioSandboxOptions, RequestLogEntry, SandboxCredential, SandboxFaults, UploadedDocument,
} from './types';
export { startPersonioSandbox } from './sandbox';
export { ATTRIBUTE_KEYS } from './attributes';
export { CUSTOM_ATTRIBUTES } from './model';
export { ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES } from './documents-api';
export { DEFAULT_CATEGORIES } from './state';
