import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentIntegration } from '../integrations/integration-scope.guard';
import { IntegrationEntity } from '../integrations/integration.entity';
import { ApiOperation } from '../openapi/operation.decorator';
import { int, obj, str } from '../openapi/schemas';
import { PassthroughRequestDto } from './passthrough.dto';
import { PassthroughService } from './passthrough.service';

@Controller('v1/passthrough')
export class PassthroughController {
  constructor(private readonly passthrough: PassthroughService) {}

  @Post(':tool/:api')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'postPassthroughToolApi',
    summary: 'Send passthrough request',
    description:
      "Forwards a request to the integration's HRIS with its credentials and returns the raw answer. The APIs of each tool are listed by `GET /v1/tools/hris` (`passthrough`).",
    tags: ['General'],
    integrationHeader: true,
    params: { tool: { description: "The integration's tool id." }, api: { description: 'One of the passthrough APIs of the tool.' } },
    body: PassthroughRequestDto,
    response: obj(
      {
        url: { type: 'string', format: 'uri', description: 'The full URL that was called.' },
        status: { ...int('HTTP status of the remote answer.'), format: 'int64' },
        headers: { type: 'object', additionalProperties: str() },
        data: { description: 'The remote body: parsed JSON, or a string.' },
      },
      ['url', 'status', 'headers'],
    ),
    errors: [
      'PLATFORM.INTEGRATION_NOT_FOUND',
      'INTEGRATION.INACTIVE',
      'INTEGRATION.AUTHENTICATION_INVALID',
      'INTEGRATION.PERMISSION_MISSING',
      'REMOTE.SERVICE_UNAVAILABLE',
      'REMOTE.RATE_LIMIT_EXCEEDED',
      'REMOTE.INPUT_INVALID',
      'REMOTE.UNKNOWN_HTTP_ERROR',
    ],
  })
  async send(
    @CurrentIntegration() integration: IntegrationEntity,
    @Param('tool') tool: string,
    @Param('api') api: string,
    @Body() body: PassthroughRequestDto,
  ) {
    const data = await this.passthrough.send(integration, tool, api, body);
    // Kombo's passthrough answer always carries `warnings` (its SDK requires the key).
    return { status: 'success' as const, data, warnings: [] as { message: string }[] };
  }
}
