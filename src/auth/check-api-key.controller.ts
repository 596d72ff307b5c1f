import { Controller, Get } from '@nestjs/common';
import { ok, SuccessEnvelope } from '../common/envelope';
import { ApiOperation } from '../openapi/operation.decorator';
import { obj, str } from '../openapi/schemas';
import { EnvironmentId } from './auth.decorators';

@Controller('v1')
export class CheckApiKeyController {
  @Get('check-api-key')
  @ApiOperation({
    operationId: 'getCheckApiKey',
    summary: 'Check API key',
    description: 'Check whether your API key is working properly.',
    tags: ['General'],
    response: obj({ environment_id: str(), customer_id: str('**(⚠️ Deprecated)** Renamed to `environment_id`.') }),
  })
  check(@EnvironmentId() environmentId: string): SuccessEnvelope<{ environment_id: string; customer_id: string }> {
    return ok({ environment_id: environmentId, customer_id: environmentId });
  }
}
