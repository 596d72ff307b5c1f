import { Module } from '@nestjs/common';
import { PassthroughController } from './passthrough.controller';
import { PassthroughService } from './passthrough.service';

/** `POST /v1/passthrough/{tool}/{api}`: raw requests to the HRIS with the integration's credentials. */
@Module({ controllers: [PassthroughController], providers: [PassthroughService] })
export class PassthroughModule {}
