import { Type } from 'class-transformer';
import { IsNotEmpty, IsNotEmptyObject, IsNumber, IsOptional, IsString, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import type { FileBodyRoute } from '../documents/document-body';
import { DocumentFileDto } from '../documents/documents.dto';

/** POST …/employees/{id}/trainings: its certificate's base64 `data` is streamed like a document's. */
export const TRAINING_UPLOAD_ROUTE: FileBodyRoute = { path: /^\/v1\/hris\/employees\/[^/]+\/trainings$/, object: 'certificate' };

/** `YYYY-MM-DD`, or an ISO 8601 date-time whose date part is the completion day. */
export const COMPLETED_AT = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** The certificate: the same file object as the document endpoint's `document`, plus an optional category. */
export class TrainingCertificateDto extends DocumentFileDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @JSONSchema({
    description:
      'ID of a category from `GET /hris/employee-document-categories` to file the certificate in. Without it the HRIS keeps the certificate with the training record (or in its default category).',
  })
  category_id?: string;
}

export class AddEmployeeTrainingDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @JSONSchema({ description: "Course name. The HRIS's training type of that name is used (created when the HRIS allows it)." })
  name!: string;

  @IsString()
  @Matches(COMPLETED_AT, { message: 'completed_at must be a date (YYYY-MM-DD) or an ISO 8601 date-time' })
  @JSONSchema({
    type: 'string',
    description:
      "When the course was completed: `YYYY-MM-DD`, or an ISO 8601 date-time of which only the date part (as written, in the caller's time zone) is used.",
  })
  completed_at!: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @JSONSchema({ description: 'Hours the course took (0 or more).' })
  hours?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @JSONSchema({ description: 'Credits earned (0 or more).' })
  credits?: number;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @JSONSchema({ description: 'Free text stored with the training record.' })
  notes?: string;

  @IsOptional()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => TrainingCertificateDto)
  @JSONSchema({
    description:
      "A certificate to attach: a file object like the document endpoint's `document` (base64 `data` or a downloadable `data_url`), checked against the tool's upload rules.",
  })
  certificate?: TrainingCertificateDto;
}
