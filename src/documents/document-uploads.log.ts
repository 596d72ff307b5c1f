import { Inject, Injectable } from '@nestjs/common';
import type { SchemaObject } from 'openapi3-ts/oas31';
import { CursorScope, PAGE_CURSORS, PageCursors } from '../common/cursor';
import { notFound } from '../common/errors';
import { IntegrationEntity } from '../integrations/integration.entity';
import { dateTime, enumOf, int, ndateTime, nstr, nullable, obj, str, arrayOf, bool } from '../openapi/schemas';
import { DocumentUploadsStore, UploadRecord } from './document-uploads.store';
import { ListDocumentUploadsQueryDto, UPLOAD_STATUSES } from './documents.dto';

export interface UploadView {
  id: string;
  employee_id: string;
  category_id: string;
  file_name: string;
  content_type: string | null;
  title: string | null;
  date: string | null;
  source: 'data' | 'data_url';
  size_bytes: number | null;
  sha256: string | null;
  idempotency_key: string | null;
  status: UploadRecord['status'];
  remote_id: string | null;
  error: { code: string | null; message: string | null; retriable: boolean } | null;
  attempts: number;
  created_at: string;
  completed_at: string | null;
}

export const uploadSchema: SchemaObject = obj({
  id: str('ID of this upload.'),
  employee_id: str(),
  category_id: str(),
  file_name: str(),
  content_type: nstr(),
  title: nstr(),
  date: nstr('Document date (`YYYY-MM-DD`) when one was given.'),
  source: enumOf(['data', 'data_url']),
  size_bytes: nullable(int('Size of the file sent, once known.')),
  sha256: nstr('SHA-256 of the file sent (hex), once known.'),
  idempotency_key: nstr(),
  status: enumOf(UPLOAD_STATUSES),
  remote_id: nstr('ID of the document in the HRIS.'),
  error: nullable(obj({ code: nstr(), message: nstr(), retriable: bool('A retry (same Idempotency-Key) attempts the upload again.') })),
  attempts: int('Sends to the HRIS so far.'),
  created_at: dateTime(),
  completed_at: ndateTime(),
});

export const uploadPageSchema: SchemaObject = obj({ next: nstr('Cursor of the next page, or null.'), results: arrayOf(uploadSchema) });

/** The upload log as the API shows it (our extension): newest first, keyset-paged. */
@Injectable()
export class DocumentUploadsLog {
  constructor(
    private readonly store: DocumentUploadsStore,
    @Inject(PAGE_CURSORS) private readonly cursors: PageCursors,
  ) {}

  async list(integration: IntegrationEntity, q: ListDocumentUploadsQueryDto): Promise<{ next: string | null; results: UploadView[] }> {
    const limit = q.page_size ?? 100;
    const scope: CursorScope = { list: 'document-uploads', owner: integration.id, filters: { ...q } };
    const position = q.cursor !== undefined ? this.cursors.decode(scope, q.cursor, 2) : undefined;
    const after = position ? { at: position[0], id: position[1] } : undefined;
    const rows = await this.store.list(integration.id, { employeeId: q.employee_id, status: q.status, key: q.idempotency_key, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? this.cursors.encode(scope, [new Date(last.created_at).toISOString(), last.id]) : null;
    return { next, results: page.map(view) };
  }

  async get(integration: IntegrationEntity, id: string): Promise<UploadView> {
    const row = await this.store.findById(integration.id, id);
    if (!row) throw notFound(`No document upload with the ID "${id}" exists in this integration.`);
    return view(row);
  }
}

function view(r: UploadRecord): UploadView {
  return {
    id: r.id,
    employee_id: r.employee_id,
    category_id: r.category_id,
    file_name: r.file_name,
    content_type: r.content_type,
    title: r.title,
    date: r.document_date,
    source: r.source,
    size_bytes: r.size_bytes === null ? null : Number(r.size_bytes),
    sha256: r.sha256,
    idempotency_key: r.idempotency_key,
    status: r.status,
    remote_id: r.remote_id,
    error: r.status === 'FAILED' ? { code: r.error_code, message: r.error_message, retriable: r.retriable } : null,
    attempts: r.attempts,
    created_at: new Date(r.created_at).toISOString(),
    completed_at: r.completed_at ? new Date(r.completed_at).toISOString() : null,
  };
}
