import { Module } from '@nestjs/common';
import { HrisController } from './hris.controller';
import { HrisReadService } from './hris-read.service';
import { NotServedController } from './not-served.controller';

/** The unified HRIS read API (served from the synced tables), and Kombo's routes we do not serve. */
@Module({
  controllers: [HrisController, NotServedController],
  providers: [HrisReadService],
  exports: [HrisReadService],
})
export class HrisModule {}
