import { PageQueryDto } from '../common/page-query.dto';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength, ValidateBy, ValidationArguments } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { isGatewayId } from '../common/ids';
import { splitCsv } from '../records/list-filters';

export const EMPLOYMENT_STATUSES = ['ACTIVE', 'PENDING', 'INACTIVE', 'LEAVE'] as const;
export const GROUP_TYPES = ['DEPARTMENT', 'TEAM', 'COST_CENTER'] as const;

// Kombo's list filters are comma-separated strings (`ids=a,b`), split by splitCsv.
type CsvKind = 'id' | 'text' | readonly string[];

/** Validates a comma-separated list; the message names the parameter and the bad value. */
function IsCsv(kind: CsvKind, maxItems = 1000) {
  const ok = (v: string) => (kind === 'id' ? isGatewayId(v) : kind === 'text' ? v.length <= 500 : kind.includes(v));
  return ValidateBy({
    name: 'isCsv',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && (splitCsv(value)?.length ?? 0) <= maxItems && splitCsv(value)!.every(ok),
      defaultMessage: (args?: ValidationArguments) => {
        const value = args?.value;
        if (typeof value !== 'string') return `${args?.property} must be a comma-separated string`;
        const parts = splitCsv(value)!;
        if (parts.length > maxItems) return `${args?.property} accepts at most ${maxItems} values`;
        const bad = parts.find((v) => !ok(v)) ?? '';
        const shown = JSON.stringify(bad.length > 40 ? bad.slice(0, 40) + '…' : bad);
        if (kind === 'id') return `${args?.property} contains ${shown}, which is not a 24-character ID`;
        if (kind === 'text') return `${args?.property} contains a value longer than 500 characters`;
        return `${args?.property} contains ${shown}; allowed values: ${kind.join(', ')}`;
      },
    },
  });
}

const BOOL = ['true', 'false'];

/** The parameters every HRIS list endpoint takes. */
export class ListQueryDto extends PageQueryDto {
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'updated_after must be an ISO 8601 date-time such as 2024-01-31T12:00:00.000Z' })
  @JSONSchema({
    type: 'string',
    format: 'date-time',
    description: 'Only records where the record itself or its nested data changed after this timestamp (`YYYY-MM-DDTHH:mm:ss.sssZ`).',
  })
  updated_after?: string;

  @IsOptional()
  @IsIn(BOOL)
  @JSONSchema({ default: 'false', description: 'By default, deleted entries are not returned. Use `include_deleted=true` to include them.' })
  include_deleted?: string;

  @IsOptional()
  @IsIn(BOOL)
  @JSONSchema({
    default: 'false',
    description: 'When `true`, filters on fields this integration does not support are ignored instead of filtering out all results.',
  })
  ignore_unsupported_filters?: string;

  @IsOptional()
  @IsCsv('id')
  @JSONSchema({ type: 'string', description: 'Filter by a comma-separated list of IDs.' })
  ids?: string;

  @IsOptional()
  @IsCsv('text')
  @JSONSchema({ type: 'string', description: 'Filter by a comma-separated list of remote IDs.' })
  remote_ids?: string;
}

export class NameQueryDto extends ListQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @JSONSchema({ description: 'Filter by the `name` field (case-insensitive substring).' })
  name_contains?: string;
}

export class GroupsQueryDto extends NameQueryDto {
  @IsOptional()
  @IsCsv([...GROUP_TYPES, 'null'])
  @JSONSchema({
    type: 'string',
    description: 'Filter by a comma-separated list of group types: `DEPARTMENT`, `TEAM`, `COST_CENTER`, or `null` for groups without a type.',
  })
  types?: string;
}

export class EmployeesQueryDto extends ListQueryDto {
  @IsOptional()
  @IsIn(EMPLOYMENT_STATUSES)
  @JSONSchema({ deprecated: true, description: '**(⚠️ Deprecated)** Use `employment_statuses`.' })
  employment_status?: string;

  @IsOptional()
  @IsCsv(EMPLOYMENT_STATUSES)
  @JSONSchema({ type: 'string', description: 'Comma-separated employment statuses: `ACTIVE`, `PENDING`, `INACTIVE`, `LEAVE`.' })
  employment_statuses?: string;

  @IsOptional()
  @IsCsv('id')
  @JSONSchema({ type: 'string', description: 'Employees that are a member of any of these groups (comma-separated IDs).' })
  group_ids?: string;

  @IsOptional()
  @IsCsv('id')
  @JSONSchema({ type: 'string', description: 'Employees of any of these legal entities (comma-separated IDs).' })
  legal_entity_ids?: string;

  @IsOptional()
  @IsCsv('id')
  @JSONSchema({ type: 'string', description: 'Employees at any of these work locations (comma-separated IDs).' })
  work_location_ids?: string;

  @IsOptional()
  @IsCsv('text')
  @JSONSchema({ type: 'string', description: 'Comma-separated work emails (case-insensitive).' })
  work_emails?: string;

  @IsOptional()
  @IsCsv('text')
  @JSONSchema({ type: 'string', description: 'Comma-separated personal emails (case-insensitive).' })
  personal_emails?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @JSONSchema({ description: 'A JSON object with one custom field key and the value to match, e.g. `{"tshirt_size":"M"}` (string, number, boolean or null).' })
  custom_fields?: string;
}
