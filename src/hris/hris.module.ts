import { Module } from '@nestjs/common';
import { HrisController } from './hris.controller';
import { HrisReadService } from './hris-read.service';

/** The unified HRIS read API (served from the synced tables). */
@Module({
  controllers: [HrisController],
  providers: [HrisReadService],
  exports: [HrisReadService],
})
export class HrisModule {}
