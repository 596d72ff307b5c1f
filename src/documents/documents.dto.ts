import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsNotEmpty, IsNotEmptyObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { PageQueryDto } from '../common/page-query.dto';

/** Kombo's `document` object: the file itself, as base64 `data` or a downloadable `data_url`. */
export class DocumentFileDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @JSONSchema({
    description: 'File name with a valid extension (like `Certificate.pdf`); it is shown in the HRIS and its extension must be one the HRIS accepts.',
  })
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  @JSONSchema({
    description:
      "MIME type (e.g. `application/pdf`). Required with `data`; with `data_url` the response's Content-Type is used when omitted. Generic `application/octet-stream` is refused.",
  })
  content_type?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4096)
  @JSONSchema({
    type: 'string',
    format: 'uri',
    description:
      'http(s) URL the file can be downloaded from without authentication; fetched at once, so it can be short-lived (a signed URL). Exactly one of `data_url` and `data`.',
  })
  data_url?: string;

  @IsOptional()
  @IsString()
  @JSONSchema({ description: 'Base64-encoded file content (at most 30 MB decoded). Exactly one of `data_url` and `data`.' })
  data?: string;
}

export class AddEmployeeDocumentDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @JSONSchema({ description: 'ID of a category from `GET /hris/employee-document-categories`.' })
  category_id!: string;

  @IsDefined()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => DocumentFileDto)
  document!: DocumentFileDto;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @JSONSchema({
    description:
      '**Extension.** Title shown in the HRIS (at most 255 characters; a tool may accept fewer). Defaults to the file name without its extension. Also accepted as the `X-Document-Title` header (percent-encoded UTF-8).',
  })
  title?: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  @JSONSchema({
    description: '**Extension.** Comment stored with the document in the HRIS. Also accepted as the `X-Document-Comment` header (percent-encoded UTF-8).',
  })
  comment?: string;

  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date in the form YYYY-MM-DD' })
  @JSONSchema({
    type: 'string',
    format: 'date',
    description: '**Extension.** Date of the document, e.g. the course completion date (`YYYY-MM-DD`). Also accepted as the `X-Document-Date` header.',
  })
  date?: string;
}

export const UPLOAD_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;

export class ListDocumentUploadsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @JSONSchema({ description: 'Only uploads for this employee ID.' })
  employee_id?: string;

  @IsOptional()
  @IsIn([...UPLOAD_STATUSES])
  @JSONSchema({ description: 'Only uploads with this status: `PENDING`, `SUCCEEDED` or `FAILED`.' })
  status?: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  @JSONSchema({ description: 'Only the upload made with this Idempotency-Key.' })
  idempotency_key?: string;
}
