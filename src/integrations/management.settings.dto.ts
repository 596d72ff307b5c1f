import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import type { SchemaObject } from 'openapi3-ts/oas31';
import type { UnifiedEmploymentStatus, UnifiedEmploymentType } from '../../connectors/unified';
import { arrayOf, bool, dateTime, enumOf, int, ndateTime, nstr, nullable, obj, str } from '../openapi/schemas';
import { PageQueryDto } from '../common/page-query.dto';

export const EMPLOYMENT_STATUSES = ['ACTIVE', 'PENDING', 'INACTIVE', 'LEAVE'] as const satisfies readonly UnifiedEmploymentStatus[];
export const EMPLOYMENT_TYPES = [
  'FULL_TIME',
  'PART_TIME',
  'CONTRACT',
  'INTERNSHIP',
  'FREELANCE',
  'WORKING_STUDENT',
  'APPRENTICESHIP',
  'TRAINING',
] as const satisfies readonly UnifiedEmploymentType[];
/** Seven days: longer intervals are better served by disabling the integration. */
export const MAX_INTERVAL_MINUTES = 10_080;
const MAX_FILTER_VALUES = 500;

const ids = (what: string): SchemaObject => ({
  type: ['array', 'null'],
  items: { type: 'string' },
  description: `Remote ids of ${what} (the \`remote_id\` the read API shows). An employee matches when it has one of them. \`null\` or \`[]\`: no filter on this field.`,
});

/** The sync engine's filter fields (OR within a field, AND across fields). Absent fields keep their current value. */
export class IntegrationFiltersDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FILTER_VALUES)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  @JSONSchema(ids('legal entities'))
  legal_entity_remote_ids?: string[] | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FILTER_VALUES)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  @JSONSchema(ids('work locations'))
  location_remote_ids?: string[] | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FILTER_VALUES)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  @JSONSchema(ids('groups (departments, teams, cost centers)'))
  group_remote_ids?: string[] | null;

  @IsOptional()
  @IsArray()
  @IsIn([...EMPLOYMENT_STATUSES], { each: true })
  @JSONSchema({ type: ['array', 'null'], items: { type: 'string', enum: [...EMPLOYMENT_STATUSES] }, description: 'Employment statuses to keep.' })
  employment_statuses?: string[] | null;

  @IsOptional()
  @IsArray()
  @IsIn([...EMPLOYMENT_TYPES], { each: true })
  @JSONSchema({ type: ['array', 'null'], items: { type: 'string', enum: [...EMPLOYMENT_TYPES] }, description: 'Employment types to keep.' })
  employment_types?: string[] | null;
}

/** A sync interval in minutes (1 to MAX_INTERVAL_MINUTES) or `null` for the gateway default named by `envVar`. */
function IntervalMinutes(kind: string, envVar: string): PropertyDecorator {
  // Listed bottom-up, the order stacked decorators run in, so the validation metadata (and the schema) stay as before.
  return applyDecorators(
    JSONSchema({
      type: ['integer', 'null'],
      minimum: 1,
      maximum: MAX_INTERVAL_MINUTES,
      description: `Minutes between ${kind} syncs; \`null\` returns to the gateway default (${envVar}).`,
    }),
    Max(MAX_INTERVAL_MINUTES),
    Min(1),
    IsInt(),
    IsOptional(),
  );
}

export class PatchIntegrationSettingsDto {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => IntegrationFiltersDto)
  @JSONSchema({ description: 'Filter fields to change; absent fields stay as they are. A change schedules a full sync at once.' })
  filters?: IntegrationFiltersDto;

  @IntervalMinutes('delta', 'SYNC_DELTA_INTERVAL_MINUTES')
  delta_interval_minutes?: number | null;

  @IntervalMinutes('full', 'SYNC_FULL_INTERVAL_MINUTES')
  full_interval_minutes?: number | null;

  @IsOptional()
  @IsBoolean()
  @JSONSchema({ description: "Whether read responses carry `remote_data` (the HR system's raw record)." })
  expose_remote_data?: boolean;
}

export class ListIntegrationsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @JSONSchema({ description: 'Only integrations of this tool (a tool id from `GET /v1/tools/hris`).' })
  tool?: string;

  @IsOptional()
  @IsIn(['ACTIVE', 'INVALID', 'INACTIVE'])
  @JSONSchema({ type: 'string', enum: ['ACTIVE', 'INVALID', 'INACTIVE'], description: 'Only integrations in this state.' })
  state?: 'ACTIVE' | 'INVALID' | 'INACTIVE';
}

const strings = arrayOf(str());
export const filtersSchema: SchemaObject = obj({
  legal_entity_remote_ids: strings,
  location_remote_ids: strings,
  group_remote_ids: strings,
  employment_statuses: arrayOf(enumOf([...EMPLOYMENT_STATUSES])),
  employment_types: arrayOf(enumOf([...EMPLOYMENT_TYPES])),
});

export const settingsSchema: SchemaObject = obj({
  filters: {
    ...filtersSchema,
    description: 'Applied at sync time: only matching employees are stored. OR within a field, AND across fields; `[]` does not filter.',
  },
  delta_interval_minutes: int("Minutes between delta syncs (this integration's, else the gateway default)."),
  full_interval_minutes: int("Minutes between full syncs (this integration's, else the gateway default)."),
  expose_remote_data: bool(),
  defaults: obj({ delta_interval_minutes: int(), full_interval_minutes: int() }),
  next_delta_sync_at: ndateTime('When the next delta sync is due (null before the first sync is scheduled).'),
  next_full_sync_at: ndateTime('When the next full sync is due.'),
});

export const settingsChangeSchema: SchemaObject = obj({
  id: str(),
  changed_at: dateTime(),
  actor: obj({
    type: enumOf(['API_KEY', 'DASHBOARD', 'CONNECT_PAGE', 'CLI']),
    id: nstr('The API key id (API_KEY, DASHBOARD signed in with a key); null for the dashboard admin, the customer and the CLI.'),
  }),
  changed_fields: arrayOf(str()),
  old_values: { type: 'object', description: 'The changed fields before.' },
  new_values: { type: 'object', description: 'The changed fields after.' },
});
export const settingsChangesPageSchema = obj({ next: nstr('Cursor of the next page, null on the last one.'), results: arrayOf(settingsChangeSchema) });

export const nextRunSchema = nullable(obj({ type: enumOf(['FULL', 'DELTA']), at: dateTime(), retry: bool('A retry after a failed run.') }));
