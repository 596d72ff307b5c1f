/**
 * BambooHR simulator (classic v1 employees, tables, meta, files, training; cursor list; locations)
 * for tests and local runs; see docs/bamboohr-sandbox.md.
 */
export type { ApiKey, BambooSandbox, BambooSandboxOptions, BehaviourSwitches, DeliveryAttempt, RateLimitSettings, RequestLogEntry } from './types';
export type { SandboxFaults, StoredFile, TableName, TrainingRecordRow, TrainingTypeRecord, WebhookSettings } from './types';
export { DEFAULT_WEBHOOK_SETTINGS, EVENT_TYPES, LEGACY_TYPES, sign as signWebhook } from './webhooks';
export { startBambooSandbox } from './sandbox';
export { DEFAULT_RATE_LIMIT, DEFAULT_SWITCHES, MAX_UPLOAD_BYTES } from './options';
export { DEFAULT_PAGE_LIMIT, MAX_FIELDS, MAX_PAGE_LIMIT } from './employees-api';
export { FIELD_CATALOGUE, DEFAULT_FILE_CATEGORIES } from './company';
export { startBambooHrForTest, bamboo, basicAuth } from './testing';
export type { BambooTestSandbox, Fetched } from './testing';
