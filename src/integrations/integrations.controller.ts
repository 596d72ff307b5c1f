import { Body, Controller, Delete, Get, Patch, Put, Query, Req } from '@nestjs/common';
import { AuthenticatedRequest, EnvironmentId } from '../auth/auth.decorators';
import { ok } from '../common/envelope';
import { ApiOperation } from '../openapi/operation.decorator';
import { CurrentIntegration } from './integration-scope.guard';
import { IntegrationEntity } from './integration.entity';
import { SetIntegrationEnabledDto } from './management.dto';
import { emptyObject, integrationDetailsSchema } from './management.schemas';
import { IntegrationManagementService } from './management.service';
import { IntegrationSettingsService } from './management.settings.service';
import {
  ListIntegrationsQueryDto,
  nextRunSchema,
  PatchIntegrationSettingsDto,
  filtersSchema,
  settingsChangesPageSchema,
  settingsSchema,
} from './management.settings.dto';
import { syncRunSchema } from '../sync/sync.dto';
import { arrayOf, bool, int, nstr, nullable, obj } from '../openapi/schemas';
import { PageQueryDto } from '../common/page-query.dto';

const listItemSchema = {
  ...integrationDetailsSchema,
  properties: {
    ...integrationDetailsSchema.properties,
    filters: filtersSchema,
    settings: obj({ delta_interval_minutes: int(), full_interval_minutes: int(), expose_remote_data: bool() }),
    last_run: nullable(syncRunSchema),
    next_scheduled_run: nextRunSchema,
  },
  required: [...(integrationDetailsSchema.required ?? []), 'filters', 'settings', 'last_run', 'next_scheduled_run'],
};
const SETTINGS_DOC =
  'Our extension. `filters` apply at sync time (OR within a field, AND across fields; the ids are remote ids of stored legal entities, locations and groups). ' +
  'A change of filters schedules a full sync at once: employees that now match appear, employees that no longer match are marked deleted with their current data. ' +
  'A change of interval moves the next scheduled run at once. Every change is recorded (`GET …/settings/changes`) and sends `integration-settings-changed`.';

const ID_PARAM = { integration_id: { description: 'The ID of the integration (`<tool>:…`).' } };

/** Kombo's integration management endpoints. IntegrationScopeGuard resolves `:integration_id` in the caller's environment. */
@Controller('v1/integrations')
export class IntegrationsController {
  constructor(
    private readonly management: IntegrationManagementService,
    private readonly settings: IntegrationSettingsService,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'getIntegrations',
    summary: 'List integrations',
    description:
      "Our extension: the integrations of the API key's environment, oldest first, cursor-paginated; each with what `GET /integrations/{integration_id}` returns plus its filters, settings, last run and next scheduled run.",
    tags: ['General'],
    extension: true,
    query: ListIntegrationsQueryDto,
    response: obj({ next: nstr('Cursor of the next page, null on the last one.'), results: arrayOf(listItemSchema) }),
  })
  async list(@EnvironmentId() environmentId: string, @Query() q: ListIntegrationsQueryDto) {
    return ok(await this.settings.list(environmentId, q));
  }

  @Get(':integration_id/settings')
  @ApiOperation({
    operationId: 'getIntegrationSettings',
    summary: 'Get integration settings',
    description: SETTINGS_DOC,
    tags: ['Integrations'],
    extension: true,
    params: ID_PARAM,
    response: settingsSchema,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND'],
  })
  async getSettings(@CurrentIntegration() integration: IntegrationEntity) {
    return ok(await this.settings.view(integration));
  }

  @Patch(':integration_id/settings')
  @ApiOperation({
    operationId: 'patchIntegrationSettings',
    summary: 'Change integration settings',
    description: SETTINGS_DOC + ' Answers with the settings after the change.',
    tags: ['Integrations'],
    extension: true,
    params: ID_PARAM,
    body: PatchIntegrationSettingsDto,
    response: settingsSchema,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND'],
  })
  async patchSettings(@CurrentIntegration() integration: IntegrationEntity, @Body() body: PatchIntegrationSettingsDto, @Req() req: AuthenticatedRequest) {
    await this.settings.change(integration.id, body, { type: 'API_KEY', id: req.apiKeyId });
    return ok(await this.settings.view(await this.management.reload(integration)));
  }

  @Get(':integration_id/settings/changes')
  @ApiOperation({
    operationId: 'getIntegrationSettingsChanges',
    summary: 'List changes of integration settings',
    description:
      'Our extension: who changed the filters or sync settings (API key, dashboard, customer on a relink, CLI), when, and the values before and after; newest first.',
    tags: ['Integrations'],
    extension: true,
    params: ID_PARAM,
    query: PageQueryDto,
    response: settingsChangesPageSchema,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND'],
  })
  async settingsChanges(@CurrentIntegration() integration: IntegrationEntity, @Query() q: PageQueryDto) {
    return ok(await this.settings.changes(integration.id, q.cursor, q.page_size ?? 100));
  }

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
