import { PageQueryDto } from '../common/page-query.dto';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { KOMBO_EVENT_TYPES } from './outbox';

const ISO = { message: (a: { property: string }) => `${a.property} must be an ISO 8601 date-time such as 2024-01-31T12:00:00.000Z` };

export class CreateEndpointDto {
  @IsString()
  @MaxLength(2048)
  @JSONSchema({ format: 'uri', description: 'Where events are POSTed. Must be https and resolve to a public address.' })
  url: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @JSONSchema({ description: 'A note for your team.' })
  description?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsIn([...KOMBO_EVENT_TYPES], { each: true })
  @JSONSchema({
    type: 'array',
    items: { type: 'string', enum: [...KOMBO_EVENT_TYPES] },
    description: 'Kombo event types to receive; empty or absent means all of them.',
  })
  events?: string[];

  @IsOptional()
  @IsBoolean()
  @JSONSchema({ default: false, description: 'Also receive record-level events (`hris.employee.created`, …) — our extension.' })
  record_events?: boolean;

  @IsOptional()
  @IsBoolean()
  @JSONSchema({ default: true, description: 'A disabled endpoint receives no new events; its pending deliveries wait until it is enabled again.' })
  enabled?: boolean;
}

export class UpdateEndpointDto {
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @JSONSchema({ format: 'uri' })
  url?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsIn([...KOMBO_EVENT_TYPES], { each: true })
  @JSONSchema({ type: 'array', items: { type: 'string', enum: [...KOMBO_EVENT_TYPES] } })
  events?: string[];

  @IsOptional()
  @IsBoolean()
  record_events?: boolean;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class EventsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @JSONSchema({ description: 'Only events of this type, e.g. `data-changed` or `hris.employee.updated`.' })
  type?: string;

  @IsOptional()
  @IsIn(['pending', 'succeeded', 'failed'])
  @JSONSchema({ description: 'Only events with at least one delivery in this state.' })
  status?: 'pending' | 'succeeded' | 'failed';

  @IsOptional()
  @IsString()
  @MaxLength(200)
  integration_id?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @JSONSchema({ description: 'Only events delivered (or to be delivered) to this endpoint.' })
  endpoint_id?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, ISO)
  @JSONSchema({ type: 'string', format: 'date-time', description: 'Only events created at or after this time.' })
  since?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, ISO)
  @JSONSchema({ type: 'string', format: 'date-time', description: 'Only events created before this time.' })
  until?: string;
}

export class RedeliverFailedDto {
  @IsISO8601({ strict: true }, ISO)
  @JSONSchema({ type: 'string', format: 'date-time', description: 'Failed deliveries of events created at or after this time are sent again.' })
  since: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @JSONSchema({ description: 'Only this endpoint’s failed deliveries.' })
  endpoint_id?: string;
}
