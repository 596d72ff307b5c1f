import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ok } from '../common/envelope';
import { EMPLOYEE_WRITE_OPERATION, singleHeader } from './document-request';
import { CurrentIntegration } from '../integrations/integration-scope.guard';
import { IntegrationEntity } from '../integrations/integration.entity';
import { ApiOperation } from '../openapi/operation.decorator';
import { nstr, obj, str } from '../openapi/schemas';
import { uploadPageSchema, uploadSchema } from './document-uploads.log';
import { DocumentUploadsLog } from './document-uploads.log';
import { streamedDocumentBytes } from './document-body';
import { AddEmployeeDocumentDto, ListDocumentUploadsQueryDto } from './documents.dto';
import { DocumentsService } from './documents.service';

/** Document write-back (Kombo's POST …/documents) and the upload log (our extension). */
@Controller('v1/hris')
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly uploads: DocumentUploadsLog,
  ) {}

  @Post('employees/:employee_id/documents')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'postHrisEmployeesEmployeeIdDocuments',
    summary: 'Add document to employee',
    description:
      "Uploads a file (base64 `data` or a downloadable `data_url`) into the employee's documents in the HRIS, in the given category. " +
      'Answers only once the HRIS accepted the document. Our extensions: `title`, `comment` and `date` (also as `X-Document-*` headers, for the Kombo SDK), ' +
      '`Idempotency-Key`, and the HRIS document id in `data.remote_id`. See docs/documents.md.',
    ...EMPLOYEE_WRITE_OPERATION,
    headers: {
      'Idempotency-Key': {
        description:
          '**Extension.** A retry with the same key and body returns the first outcome without a second upload; the same key with another body answers 409. Kept for 7 days.',
      },
      'X-Document-Title': { description: '**Extension.** Document title, percent-encoded UTF-8 (same as body `title`).' },
      'X-Document-Comment': { description: '**Extension.** Document comment, percent-encoded UTF-8 (same as body `comment`).' },
      'X-Document-Date': { description: '**Extension.** Document date `YYYY-MM-DD` (same as body `date`).' },
    },
    body: AddEmployeeDocumentDto,
    response: obj({
      upload_id: str('**Extension.** ID of the upload in GET /hris/document-uploads.'),
      remote_id: nstr('**Extension.** ID of the new document in the HRIS, when it returns one.'),
    }),
  })
  async add(
    @CurrentIntegration() integration: IntegrationEntity,
    @Param('employee_id') employeeId: string,
    @Body() body: AddEmployeeDocumentDto,
    @Headers() headers: Record<string, string | string[] | undefined>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.documents.addDocument(
      integration,
      employeeId,
      body,
      {
        title: singleHeader(headers['x-document-title']),
        comment: singleHeader(headers['x-document-comment']),
        date: singleHeader(headers['x-document-date']),
        idempotencyKey: singleHeader(headers['idempotency-key']),
      },
      streamedDocumentBytes(req),
    );
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    // Kombo always sends `warnings` on this route, and its SDK requires the field.
    return { status: 'success' as const, data: result.data, warnings: result.warnings };
  }

  @Get('document-uploads')
  @ApiOperation({
    operationId: 'getHrisDocumentUploads',
    summary: 'List document uploads',
    description:
      'Every document upload of the integration, newest first: employee, category, file name, size, SHA-256, Idempotency-Key, status, HRIS document id or error. File contents are never stored.',
    tags: ['HRIS'],
    extension: true,
    integrationHeader: true,
    query: ListDocumentUploadsQueryDto,
    response: uploadPageSchema,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND'],
  })
  async list(@CurrentIntegration() integration: IntegrationEntity, @Query() q: ListDocumentUploadsQueryDto) {
    return ok(await this.uploads.list(integration, q));
  }

  @Get('document-uploads/:upload_id')
  @ApiOperation({
    operationId: 'getHrisDocumentUpload',
    summary: 'Get a document upload',
    tags: ['HRIS'],
    extension: true,
    integrationHeader: true,
    params: { upload_id: { description: 'ID of the upload (`data.upload_id` of the POST).' } },
    response: uploadSchema,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND', 'PLATFORM.NOT_FOUND'],
  })
  async get(@CurrentIntegration() integration: IntegrationEntity, @Param('upload_id') id: string) {
    return ok(await this.uploads.get(integration, id));
  }
}
