import { Module } from '@nestjs/common';
import { SyncModule } from '../sync/sync.module';
import { DocumentTargets } from './document-targets';
import { DocumentUploadsLog } from './document-uploads.log';
import { DocumentUploadsStore } from './document-uploads.store';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { DocumentUploadSettings } from './documents.settings';
import { UploadRateGate } from './upload-rate-gate';
import { UploadSender } from './upload-sender';

/** Document write-back into the HRIS: POST …/documents, the upload log, the per-integration upload queue. */
@Module({
  imports: [SyncModule],
  controllers: [DocumentsController],
  providers: [DocumentsService, DocumentUploadsStore, DocumentUploadsLog, DocumentTargets, UploadSender, UploadRateGate, DocumentUploadSettings],
  exports: [DocumentsService, DocumentUploadSettings, DocumentTargets, UploadSender],
})
export class DocumentsModule {}
