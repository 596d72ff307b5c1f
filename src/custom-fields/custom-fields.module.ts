import { Module } from '@nestjs/common';
import { CustomFieldsController } from './custom-fields.controller';
import { CustomFieldsService } from './custom-fields.service';
import { IntegrationFieldsService } from './integration-fields.service';

/** Custom fields (environment keys), integration fields (remote attributes) and the mapping between them. */
@Module({
  controllers: [CustomFieldsController],
  providers: [CustomFieldsService, IntegrationFieldsService],
  exports: [CustomFieldsService, IntegrationFieldsService],
})
export class CustomFieldsModule {}
