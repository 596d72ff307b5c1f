import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { PAGE_CURSORS, PageCursors } from '../common/cursor';
import { ok } from '../common/envelope';
import { CurrentIntegration } from '../integrations/integration-scope.guard';
import { IntegrationEntity } from '../integrations/integration.entity';
import { ApiOperation } from '../openapi/operation.decorator';
import { decodeRunCursor, encodeRunCursor, ForceSyncDto, forceSyncSchema, syncRunPageSchema, syncRunSchema, toSyncRunView } from './sync.dto';
import { PageQueryDto } from '../common/page-query.dto';
import { SyncService } from './sync.service';

const INTEGRATION_PARAM = { integration_id: { description: 'The integration id.' } };

@Controller('v1')
export class SyncController {
  constructor(
    private readonly sync: SyncService,
    @Inject(PAGE_CURSORS) private readonly cursors: PageCursors,
  ) {}

  @Post('force-sync')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'PostForceSync',
    summary: 'Trigger sync',
    description:
      'Trigger a sync for a specific integration. Only one sync per integration is queued or running at a time: while one is, ' +
      'this answers with it (`already_queued: true`). A `DELTA` request runs as `FULL` until the integration has completed a sync. ' +
      'The gateway already syncs on a schedule; call this only for special cases such as a "Sync now" button. ' +
      "A disabled (INACTIVE) integration is refused with `PLATFORM.INPUT_INVALID` (HTTP 403): Kombo's schema for this endpoint has only platform codes.",
    tags: ['General'],
    integrationHeader: true,
    body: ForceSyncDto,
    response: forceSyncSchema,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND', 'INTEGRATION.INACTIVE'],
  })
  async forceSync(@CurrentIntegration() integration: IntegrationEntity, @Body() body: ForceSyncDto) {
    return ok(await this.sync.requestSync(integration.id, { type: body.type ?? 'FULL', trigger: 'API' }));
  }

  @Get('integrations/:integration_id/syncs')
  @ApiOperation({
    operationId: 'getIntegrationSyncs',
    summary: 'List sync runs',
    description: 'The integration’s sync runs, newest first: type, trigger, status, record counts, error and timings.',
    tags: ['Integrations'],
    extension: true,
    params: INTEGRATION_PARAM,
    query: PageQueryDto,
    response: syncRunPageSchema,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND'],
  })
  async list(@CurrentIntegration() integration: IntegrationEntity, @Query() q: PageQueryDto) {
    const limit = q.page_size ?? 100;
    const rows = await this.sync.listRuns(integration.id, q.cursor ? decodeRunCursor(this.cursors, integration.id, q.cursor) : null, limit + 1);
    const page = rows.slice(0, limit);
    return ok({ next: rows.length > limit ? encodeRunCursor(this.cursors, integration.id, page[page.length - 1]) : null, results: page.map(toSyncRunView) });
  }

  @Get('integrations/:integration_id/syncs/:sync_id')
  @ApiOperation({
    operationId: 'getIntegrationSync',
    summary: 'Get a sync run',
    tags: ['Integrations'],
    extension: true,
    params: { ...INTEGRATION_PARAM, sync_id: { description: 'The sync id (`sync_id` of force-sync and of the sync-finished webhook).' } },
    response: syncRunSchema,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND', 'PLATFORM.NOT_FOUND'],
  })
  async get(@CurrentIntegration() integration: IntegrationEntity, @Param('sync_id') syncId: string) {
    return ok(toSyncRunView(await this.sync.getRun(integration.id, syncId)));
  }
}
