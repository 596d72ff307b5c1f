import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/** The paging parameters of our own cursor-paginated lists (sync runs, integrations, settings changes, uploads). */
export class PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @JSONSchema({ description: 'The `next` value of the previous page.' })
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(250)
  @JSONSchema({ default: 100, description: 'Results per page, at most 250.' })
  page_size?: number;
}
