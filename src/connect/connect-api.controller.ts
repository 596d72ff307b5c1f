import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { EnvironmentId } from '../auth/auth.decorators';
import { ok, SuccessEnvelope } from '../common/envelope';
import { IntegrationEntity } from '../integrations/integration.entity';
import { CurrentIntegration } from '../integrations/integration-scope.guard';
import { ApiOperation } from '../openapi/operation.decorator';
import { arrayOf, bool, dateTime, enumOf, ndateTime, nstr, obj, str } from '../openapi/schemas';
import { ConnectLinksService, CreatedLink, IntegrationByToken } from './connect-links.service';
import { ActivateIntegrationDto, CreateLinkDto, RelinkDto } from './connect.dto';

const LINK_RESPONSE = obj(
  {
    link: str('The link to open with `showKomboConnect(link)` or to send to your customer.'),
    expires_at: dateTime('Our extension: when the link stops working.'),
  },
  ['link'],
);
const INTEGRATION_BY_TOKEN = obj({
  tool: str(),
  id: str(),
  end_user_origin_id: nstr(),
  end_user_organization_name: str(),
  end_user_email: nstr(),
  setup_status: enumOf(['INCOMPLETE', 'FINAL_SYNC_PENDING', 'COMPLETED']),
});
// Kombo's general error schema has no NOT_FOUND code (error-families.ts).
const TOKEN_GONE = 'An unknown, expired or used token is answered with `PLATFORM.INPUT_INVALID` (HTTP 404).';
const END_USER = obj({ organization_name: str(), creator_email: nstr(), origin_id: nstr() });

@Controller('v1')
export class ConnectApiController {
  constructor(private readonly links: ConnectLinksService) {}

  @Post('connect/create-link')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'postConnectCreateLink',
    summary: 'Create connection link',
    description:
      'Generate a link that lets your customer connect their HRIS through the hosted connect page, embedded with `@kombo-api/connect` ' +
      '(`showKomboConnect(link)`) or sent as a magic link. EMBEDDED links are valid for 1 hour, MAGIC_LINK links for 1 year, ' +
      'or `expires_in_minutes` (our extension). A link is single use once the integration is created.\n\n' +
      'Integrations are not deduplicated: use the relink endpoint to let a customer update the credentials of an existing one.',
    tags: ['Kombo Connect'],
    body: CreateLinkDto,
    response: LINK_RESPONSE,
  })
  async createLink(@EnvironmentId() environmentId: string, @Body() body: CreateLinkDto): Promise<SuccessEnvelope<CreatedLink>> {
    const { data, warnings } = await this.links.createLink(environmentId, body);
    return ok(data, warnings);
  }

  @Get('connect/integration-by-token/:token')
  @ApiOperation({
    operationId: 'getConnectIntegrationByTokenToken',
    summary: 'Get integration by token',
    description:
      'Exchange the activation token that `showKomboConnect(link)` resolved with for the integration it created. ' +
      'Like an OAuth code: valid once, for 10 minutes, and only with an API key of the environment the link was created in. ' +
      TOKEN_GONE,
    tags: ['Kombo Connect'],
    params: { token: { description: 'The activation token from the connection flow.' } },
    response: INTEGRATION_BY_TOKEN,
    errors: ['PLATFORM.NOT_FOUND'],
  })
  async integrationByToken(@EnvironmentId() environmentId: string, @Param('token') token: string): Promise<SuccessEnvelope<IntegrationByToken>> {
    return ok(await this.links.integrationByToken(environmentId, token));
  }

  @Post('connect/activate-integration')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'postConnectActivateIntegration',
    summary: 'Activate integration (deprecated)',
    description:
      '**(⚠️ Deprecated)** Use `GET /connect/integration-by-token/{token}`; kept for older clients. The same exchange, ' +
      'with the token in the body: valid once, for 10 minutes. An integration is active without calling this. ' +
      TOKEN_GONE,
    tags: ['Kombo Connect'],
    deprecated: true,
    body: ActivateIntegrationDto,
    response: INTEGRATION_BY_TOKEN,
    errors: ['PLATFORM.NOT_FOUND'],
  })
  async activateIntegration(@EnvironmentId() environmentId: string, @Body() body: ActivateIntegrationDto): Promise<SuccessEnvelope<IntegrationByToken>> {
    return ok(await this.links.integrationByToken(environmentId, body.token));
  }

  @Post('integrations/:integration_id/relink')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'postIntegrationsIntegrationIdRelink',
    summary: 'Create reconnection link',
    description:
      'Create a link that lets the customer enter new credentials for an existing integration: same id, same data and settings. ' +
      'Completing it clears the INVALID state and resumes syncing. Valid for 1 hour (EMBEDDED) or 1 year (MAGIC_LINK) by default.',
    tags: ['General'],
    params: { integration_id: { description: 'The ID of the integration.' } },
    body: RelinkDto,
    response: LINK_RESPONSE,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND'],
  })
  async relink(@CurrentIntegration() integration: IntegrationEntity, @Body() body: RelinkDto): Promise<SuccessEnvelope<CreatedLink>> {
    const { data, warnings } = await this.links.relink(integration, body);
    return ok(data, warnings);
  }

  @Get('connect/links/:link_id')
  @ApiOperation({
    operationId: 'getConnectLinksLinkId',
    summary: 'Get connect link status',
    description:
      'Where a connect link stands (open, credentials verified, used, expired), the integration it created, and its last failed attempts. ' +
      'This is the `log_url` of `connection-flow-failed` events. Never contains a token or credential.',
    tags: ['Kombo Connect'],
    extension: true,
    params: { link_id: { description: 'The link id from the `log_url` of a connection-flow-failed event.' } },
    response: obj({
      id: str(),
      link_type: enumOf(['EMBEDDED', 'MAGIC_LINK']),
      tool: str(),
      language: str(),
      status: enumOf(['OPEN', 'CREDENTIALS_VERIFIED', 'USED', 'EXPIRED']),
      relink_integration_id: nstr(),
      integration_id: nstr(),
      end_user: END_USER,
      enable_filtering: bool(),
      created_at: dateTime(),
      expires_at: dateTime(),
      used_at: ndateTime(),
      failures: arrayOf(
        obj(
          { at: dateTime(), kind: enumOf(['AUTH', 'PERMISSION', 'UNREACHABLE', 'MISSING', 'RATE_LIMITED', 'INPUT']), message: str(), missing: arrayOf(str()) },
          ['at', 'kind', 'message'],
        ),
      ),
    }),
    errors: ['PLATFORM.NOT_FOUND'],
  })
  async describe(@EnvironmentId() environmentId: string, @Param('link_id') id: string) {
    return ok(await this.links.describe(environmentId, id));
  }
}
