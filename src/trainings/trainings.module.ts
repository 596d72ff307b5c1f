import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { TrainingsController } from './trainings.controller';
import { TrainingsService } from './trainings.service';

/** Training write-back (our extension), built from the document write-back's pieces. */
@Module({
  imports: [DocumentsModule],
  controllers: [TrainingsController],
  providers: [TrainingsService],
})
export class TrainingsModule {}
