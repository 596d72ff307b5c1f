import { Module } from '@nestjs/common';
import { Housekeeping } from './housekeeping';

/** Retention: prunes old sync runs, webhook events, upload records, connect links and expired sessions (docs/configuration.md). */
@Module({ providers: [Housekeeping], exports: [Housekeeping] })
export class HousekeepingModule {}
