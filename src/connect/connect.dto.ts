import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/** Kombo's languages; the hosted page speaks English and German, the others fall back to English. */
export const LANGUAGES = ['en', 'de', 'fr', 'it', 'es'] as const;
export const LINK_TYPES = ['EMBEDDED', 'MAGIC_LINK'] as const;
export const CATEGORIES = ['HRIS', 'ATS', 'ASSESSMENT', 'LMS'] as const;
/** Our extension: a link lifetime of the caller's choice, from 5 minutes to 1 year. */
export const MIN_EXPIRY_MINUTES = 5;
export const MAX_EXPIRY_MINUTES = 525_600;

const LINK_TYPE_DOC =
  'The type of link. `EMBEDDED` is for the embedded flow with `@kombo-api/connect` (valid for 1 hour), `MAGIC_LINK` is sent to the customer by you (valid for 1 year).';
const EXPIRY_DOC = `Our extension: how long the link stays valid, in minutes (${MIN_EXPIRY_MINUTES}–${MAX_EXPIRY_MINUTES}). Defaults to 60 for EMBEDDED and 525600 (1 year) for MAGIC_LINK.`;

export class CreateLinkDto {
  @IsEmail({}, { message: 'end_user_email must be an email address' })
  @MaxLength(320)
  @JSONSchema({ format: 'email', description: 'The email of the user this link is meant for.' })
  end_user_email: string;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @JSONSchema({ description: "The name of the user's organization." })
  end_user_organization_name: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @JSONSchema({ type: ['string', 'null'], description: 'The id the user/organization has in your own database.' })
  end_user_origin_id?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @JSONSchema({
    type: ['string', 'null'],
    description: 'Accepted for compatibility; this gateway connects production systems only (a non-null value is answered with a warning).',
  })
  remote_environment?: string | null;

  @IsOptional()
  @IsIn([...CATEGORIES])
  @JSONSchema({ type: 'string', enum: [...CATEGORIES], default: 'HRIS', description: 'Category of the integration. This gateway serves `HRIS`.' })
  integration_category?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @JSONSchema({
    type: ['string', 'null'],
    description: 'Pre-defines the tool (`GET /v1/tools/hris` lists the tools this gateway connects). Without it, the first of them.',
  })
  integration_tool?: string | null;

  @IsOptional()
  @IsIn([...LANGUAGES])
  @JSONSchema({
    type: ['string', 'null'],
    enum: [...LANGUAGES],
    default: 'en',
    description: 'Language of the connection flow UI (`en` and `de`; others show English).',
  })
  language?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @JSONSchema({ type: ['string', 'null'], description: 'Accepted for compatibility and ignored: scope configs are not supported.' })
  scope_config_id?: string | null;

  @IsOptional()
  @IsBoolean()
  @JSONSchema({
    default: false,
    description: 'Adds the step where the customer chooses which employees to sync (legal entity, office, department, status, employment type).',
  })
  enable_filtering?: boolean;

  @IsOptional()
  @IsBoolean()
  @JSONSchema({ default: false, description: 'Accepted for compatibility; field mapping is not offered in the flow (`true` is answered with a warning).' })
  enable_field_mapping?: boolean;

  @IsOptional()
  @IsIn([...LINK_TYPES])
  @JSONSchema({ type: 'string', enum: [...LINK_TYPES], default: 'EMBEDDED', description: LINK_TYPE_DOC })
  link_type?: 'EMBEDDED' | 'MAGIC_LINK';

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(MIN_EXPIRY_MINUTES)
  @Max(MAX_EXPIRY_MINUTES)
  @JSONSchema({ type: 'integer', description: EXPIRY_DOC, 'x-gateway-extension': true })
  expires_in_minutes?: number;
}

export class RelinkDto {
  @IsOptional()
  @IsBoolean()
  @JSONSchema({
    default: true,
    description: "Our extension: offer the filter step, with the integration's current filters preselected. `false`: credentials only.",
    'x-gateway-extension': true,
  })
  enable_filtering?: boolean;

  @IsOptional()
  @IsIn([...LANGUAGES])
  @JSONSchema({ type: ['string', 'null'], enum: [...LANGUAGES], default: 'en', description: 'Language of the connection flow UI.' })
  language?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @JSONSchema({ type: ['string', 'null'], description: 'Accepted for compatibility and ignored.' })
  scope_config_id?: string | null;

  @IsOptional()
  @IsIn([...LINK_TYPES])
  @JSONSchema({ type: 'string', enum: [...LINK_TYPES], default: 'EMBEDDED', description: LINK_TYPE_DOC })
  link_type?: 'EMBEDDED' | 'MAGIC_LINK';

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(MIN_EXPIRY_MINUTES)
  @Max(MAX_EXPIRY_MINUTES)
  @JSONSchema({ type: 'integer', description: EXPIRY_DOC, 'x-gateway-extension': true })
  expires_in_minutes?: number;
}

export class ActivateIntegrationDto {
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @JSONSchema({ description: 'The activation token from the connection flow (what `showKomboConnect(link)` resolved with).' })
  token: string;
}
