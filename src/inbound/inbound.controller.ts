import { Body, Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '../auth/auth.decorators';
import { InboundService } from './inbound.service';

/**
 * Where the HRIS delivers change notifications (docs/webhooks.md). No API key: the
 * per-integration token in the delivery, or the HRIS's signature over the raw body
 * (kept by the inbound body parser, src/bootstrap.ts), authenticates it. Not part of the LMS API,
 * so not in the OpenAPI document.
 */
@Controller('inbound')
@Public()
export class InboundController {
  constructor(private readonly inbound: InboundService) {}

  @Post(':integrationId')
  @HttpCode(200)
  async receive(
    @Param('integrationId') integrationId: string,
    @Headers() headers: Record<string, string | string[] | undefined>,
    @Body() body: unknown,
    @Req() req: Request & { rawBody?: Buffer },
  ) {
    const r = await this.inbound.receive(integrationId, headers, body, req.rawBody);
    return { status: 'success', data: r };
  }
}
