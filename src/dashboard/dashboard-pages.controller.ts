import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { Public } from '../auth/auth.decorators';
import { PAGE_CURSORS, PageCursors } from '../common/cursor';
import { GatewayError } from '../common/errors';
import { ApiOperation } from '../openapi/operation.decorator';
import { decodeRunCursor, encodeRunCursor, toSyncRunView } from '../sync/sync.dto';
import { SyncService } from '../sync/sync.service';
import { DeliveryLogService, DeliveryStatus } from '../webhooks/delivery-log.service';
import { DashboardGate, sendPage } from './dashboard-gate';
import { DashboardQueries } from './dashboard.queries';
import { flashOf } from './flash';
import { connectPage } from './pages/connect';
import { deleteConfirmPage, integrationsPage } from './pages/integrations';
import { problemPage } from './pages/layout';
import { runsPage } from './pages/runs';
import { ownIntervals } from '../integrations/management.settings';
import { IntegrationSettingsService } from '../integrations/management.settings.service';
import { IntegrationsService } from '../integrations/integrations.service';
import { settingsSection } from './pages/settings';
import { DELIVERY_STATUSES, EventView, webhooksPage } from './pages/webhooks';

const PAGE = { contentType: 'text/html', description: 'A dashboard page (or a 303 redirect to the sign-in page).' };
const op = (operationId: string, summary: string) => ({ operationId, summary, tags: ['Dashboard'], public: true, extension: true, rawResponse: PAGE });
const RUNS_PER_PAGE = 50;
/** Integrations per overview page: each is a row with its counts and its latest run. */
const INTEGRATIONS_PER_PAGE = 100;
const EVENTS_PER_PAGE = 50;

/** The dashboard's pages. Reads go through the owning modules' services, plus DashboardQueries for the overview. */
@Controller('dashboard')
@Public()
export class DashboardPagesController {
  constructor(
    private readonly gate: DashboardGate,
    private readonly queries: DashboardQueries,
    private readonly sync: SyncService,
    private readonly deliveries: DeliveryLogService,
    private readonly integrationsService: IntegrationsService,
    private readonly settings: IntegrationSettingsService,
    @Inject(PAGE_CURSORS) private readonly cursors: PageCursors,
    private readonly connectors: ConnectorRegistry,
  ) {}

  @Get('integrations')
  @ApiOperation(op('dashboardIntegrations', 'Integrations of the environment'))
  async integrations(@Req() req: Request, @Res() res: Response, @Query() q: Record<string, unknown>): Promise<void> {
    const signed = await this.gate.page(req, res);
    if (!signed) return;
    const scope = { list: 'dashboard-integrations', owner: signed.ctx.environmentId };
    let after: { createdKey: string; id: string } | null = null;
    try {
      if (typeof q.after === 'string') {
        const [createdKey, id] = this.cursors.decode(scope, q.after, 2);
        after = { createdKey, id };
      }
    } catch (e) {
      return sendPage(res, 400, problemPage(signed.ctx, 'Bad link', (e as Error).message, '/dashboard/integrations'));
    }
    const rows = await this.queries.integrations(signed.ctx.environmentId, after, INTEGRATIONS_PER_PAGE + 1);
    const shown = rows.slice(0, INTEGRATIONS_PER_PAGE);
    const last = shown[shown.length - 1];
    const more = rows.length > INTEGRATIONS_PER_PAGE ? `/dashboard/integrations?after=${this.cursors.encode(scope, [last.created_key, last.id])}` : null;
    sendPage(res, 200, integrationsPage(signed.ctx, shown, flashOf(q), { more, paged: after !== null }));
  }

  @Get('integrations/:id')
  @ApiOperation(op('dashboardIntegrationRuns', 'Sync runs of an integration'))
  async runs(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Query() q: Record<string, unknown>): Promise<void> {
    const signed = await this.gate.page(req, res);
    if (!signed) return;
    const i = await this.queries.integration(signed.ctx.environmentId, id);
    if (!i)
      return sendPage(res, 404, problemPage(signed.ctx, 'Integration not found', `No integration "${id}" in this environment.`, '/dashboard/integrations'));
    let after: { queuedAt: string; id: string } | null;
    try {
      after = typeof q.before === 'string' ? decodeRunCursor(this.cursors, i.id, q.before) : null;
    } catch (e) {
      return sendPage(res, 400, problemPage(signed.ctx, 'Bad link', (e as Error).message, `/dashboard/integrations/${encodeURIComponent(id)}`));
    }
    const rows = await this.sync.listRuns(i.id, after, RUNS_PER_PAGE + 1);
    const shown = rows.slice(0, RUNS_PER_PAGE);
    const older =
      rows.length > RUNS_PER_PAGE
        ? `/dashboard/integrations/${encodeURIComponent(id)}?before=${encodeRunCursor(this.cursors, i.id, shown[shown.length - 1])}`
        : null;
    const points = await this.queries.runSeries(i.id);
    const entity = await this.integrationsService.find(signed.ctx.environmentId, i.id);
    const view = await this.settings.view(entity);
    const form = {
      ...view,
      own: ownIntervals(entity),
      choices: await this.settings.store.choices(i.id),
    };
    const changes = (await this.settings.changes(i.id, undefined, 20)).results;
    sendPage(res, 200, runsPage(signed.ctx, i, shown.map(toSyncRunView), points, older, flashOf(q), settingsSection(signed.ctx, i.id, form, changes)));
  }

  @Get('integrations/:id/delete')
  @ApiOperation(op('dashboardDeleteConfirm', 'Confirm deleting an integration'))
  async confirmDelete(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const signed = await this.gate.page(req, res);
    if (!signed) return;
    const i = await this.queries.integration(signed.ctx.environmentId, id);
    if (!i)
      return sendPage(res, 404, problemPage(signed.ctx, 'Integration not found', `No integration "${id}" in this environment.`, '/dashboard/integrations'));
    sendPage(res, 200, deleteConfirmPage(signed.ctx, i));
  }

  @Get('webhooks')
  @ApiOperation(op('dashboardWebhooks', 'Webhook deliveries'))
  async webhooks(@Req() req: Request, @Res() res: Response, @Query() q: Record<string, unknown>): Promise<void> {
    const signed = await this.gate.page(req, res);
    if (!signed) return;
    const status = (DELIVERY_STATUSES as readonly string[]).includes(q.status as string) ? (q.status as DeliveryStatus) : null;
    let page: Awaited<ReturnType<DeliveryLogService['list']>>;
    try {
      page = await this.deliveries.list(signed.ctx.environmentId, {
        status: status ?? undefined,
        cursor: typeof q.cursor === 'string' ? q.cursor : undefined,
        page_size: EVENTS_PER_PAGE,
      });
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e;
      return sendPage(res, 400, problemPage(signed.ctx, 'Bad link', e.message, '/dashboard/webhooks'));
    }
    const next = page.next ? `/dashboard/webhooks?${new URLSearchParams({ ...(status ? { status } : {}), cursor: page.next })}` : null;
    const endpoints = await this.queries.endpoints(signed.ctx.environmentId);
    sendPage(res, 200, webhooksPage(signed.ctx, page.results as unknown as EventView[], endpoints, { status }, next, flashOf(q)));
  }

  @Get('connect')
  @ApiOperation(op('dashboardConnect', 'Create a connect link'))
  async connect(@Req() req: Request, @Res() res: Response): Promise<void> {
    const signed = await this.gate.page(req, res);
    if (!signed) return;
    sendPage(res, 200, connectPage(signed.ctx, toolList(this.connectors), {}, []));
  }
}

export const toolList = (connectors: ConnectorRegistry) => connectors.all().map((c) => ({ id: c.tool.id, label: c.tool.label }));
