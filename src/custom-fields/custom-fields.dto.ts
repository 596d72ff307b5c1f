import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { CUSTOM_FIELD_MODELS } from '../records/models';

export class IntegrationFieldsQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @JSONSchema({ description: 'Cursor from the `next` property of the previous page.' })
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2000)
  @JSONSchema({ default: 100, description: 'The number of results to return per page. Maximum is 2000.' })
  page_size?: number;
}

export class UpdateCustomFieldMappingDto {
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(200)
  @JSONSchema({ type: ['string', 'null'], description: 'The integration field to map this custom field to, or null to remove the mapping.' })
  integration_field_id!: string | null;
}

export class UpdateIntegrationFieldDto {
  @ValidateIf((_, v) => v !== null)
  @IsBoolean()
  @JSONSchema({
    type: ['boolean', 'null'],
    description: "Whether the field is included in the records' `integration_fields` array (null leaves it unchanged).",
  })
  enable_passthrough!: boolean | null;
}

export class CreateCustomFieldDto {
  @IsIn(CUSTOM_FIELD_MODELS)
  @JSONSchema({ description: 'The model whose `custom_fields` get this key.' })
  model!: string;

  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, { message: 'key must start with a letter and contain only letters, digits and underscores (at most 63)' })
  @JSONSchema({ description: 'The key in `custom_fields`, e.g. `tshirt_size`.' })
  key!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}
