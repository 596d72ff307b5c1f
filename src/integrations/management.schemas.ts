import type { SchemaObject } from 'openapi3-ts/oas31';
import { arrayOf, bool, dateTime, enumOf, ndateTime, nstr, obj, str } from '../openapi/schemas';

/** Response shapes of the integration management endpoints, written from Kombo's public schema. */
const COVERAGE = enumOf(['SUPPORTED', 'UNSUPPORTED', 'NOT_IMPLEMENTED', 'UNKNOWN']);
const SETTING = enumOf(['ENABLED', 'DISABLED', 'OPTIONAL']);

/** A read-model or write-action list: each entry's coverage and its fields' (`fieldExtras` after the fields' own coverage). */
const coverageList = (fieldExtras: Record<string, SchemaObject>): SchemaObject =>
  arrayOf(
    obj({
      id: str(),
      label: str(),
      is_available: bool(),
      coverage_status: COVERAGE,
      scope_config_setting: SETTING,
      opted_out_by_customer: bool(),
      fields: arrayOf(obj({ id: str(), is_available: bool(), coverage_status: COVERAGE, ...fieldExtras })),
    }),
  );

export const endUserSchema = obj({ organization_name: str(), creator_email: nstr(), origin_id: nstr('The ID you passed when creating the connection link.') });

export const integrationDetailsSchema: SchemaObject = obj({
  id: str(),
  tool: obj({
    id: str('The tool id (see `GET /v1/tools/hris`).'),
    label: str(),
    internal_label: nstr(),
    logo_url: { type: 'string', format: 'uri' },
    icon_url: { type: 'string', format: 'uri' },
  }),
  category: enumOf(['HRIS', 'ATS', 'ASSESSMENT', 'LMS']),
  status: enumOf(['ACTIVE', 'INVALID', 'INACTIVE'], '`ACTIVE`: syncing. `INVALID`: stopped because the credentials are invalid. `INACTIVE`: disabled.'),
  setup_status: enumOf(['INCOMPLETE', 'FINAL_SYNC_PENDING', 'COMPLETED']),
  end_user: endUserSchema,
  scope_config: obj({ id: str(), name: nstr() }),
  data_expired_at: ndateTime(),
  created_at: dateTime(),
  beta: bool(),
  read_models: coverageList({ scope_config_setting: SETTING, opted_out_by_customer: bool() }),
  write_actions: coverageList({}),
});

export const emptyObject: SchemaObject = { type: 'object', properties: {} };
