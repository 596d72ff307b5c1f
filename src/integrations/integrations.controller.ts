import { Body, Controller, Delete, Get, Put } from '@nestjs/common';
import { ok } from '../common/envelope';
import { ApiOperation } from '../openapi/operation.decorator';
import { CurrentIntegration } from './integration-scope.guard';
import { IntegrationEntity } from './integration.entity';
import { SetIntegrationEnabledDto } from './management.dto';
import { emptyObject, integrationDetailsSchema } from './management.schemas';
import { IntegrationManagementService } from './management.service';

const ID_PARAM = { integration_id: { description: 'The ID of the integration (`personio:…`).' } };

/** Kombo's integration management endpoints. IntegrationScopeGuard resolves `:integration_id` in the caller's environment. */
@Controller('v1/integrations')
export class IntegrationsController {
  constructor(private readonly management: IntegrationManagementService) {}

  @Get(':integration_id')
  @ApiOperation({
    operationId: 'getIntegrationsIntegrationId',
    summary: 'Get integration details',
    description: 'Tool, status, setup status, end user and the coverage of every read model and write action.',
    tags: ['General'],
    params: ID_PARAM,
    response: integrationDetailsSchema,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND'],
  })
  details(@CurrentIntegration() integration: IntegrationEntity) {
    return ok(this.management.details(integration));
  }

  @Delete(':integration_id')
  @ApiOperation({
    operationId: 'deleteIntegrationsIntegrationId',
    summary: 'Delete integration',
    description:
      'Deletes the integration with its credentials and all synced data, immediately (Kombo waits 14 days), and sends `integration-deleted`. Cannot be undone.',
    tags: ['General'],
    params: ID_PARAM,
    response: emptyObject,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND'],
  })
  async delete(@CurrentIntegration() integration: IntegrationEntity) {
    await this.management.delete(integration);
    return ok({});
  }

  @Put(':integration_id/enabled')
  @ApiOperation({
    operationId: 'putIntegrationsIntegrationIdEnabled',
    summary: 'Set integration enabled',
    description: 'Disabling cancels a running sync and stops scheduled syncs; credentials and data are kept. Sends `integration-state-changed`.',
    tags: ['General'],
    params: ID_PARAM,
    body: SetIntegrationEnabledDto,
    response: emptyObject,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND'],
  })
  async setEnabled(@CurrentIntegration() integration: IntegrationEntity, @Body() body: SetIntegrationEnabledDto) {
    await this.management.setEnabled(integration, body.value);
    return ok({});
  }
}
