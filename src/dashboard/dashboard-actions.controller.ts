import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Public } from '../auth/auth.decorators';
import { GatewayError } from '../common/errors';
import { getLogger } from '../common/logger';
import { CreateLinkDto } from '../connect/connect.dto';
import { ConnectLinksService } from '../connect/connect-links.service';
import { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationsService } from '../integrations/integrations.service';
import { IntegrationManagementService } from '../integrations/management.service';
import { ApiOperation } from '../openapi/operation.decorator';
import { SyncService } from '../sync/sync.service';
import { DeliveryLogService } from '../webhooks/delivery-log.service';
import { DeliveryWorker } from '../webhooks/delivery.worker';
import { toolList } from './dashboard-pages.controller';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { DashboardGate, redirect, sendPage, Signed } from './dashboard-gate';
import { flashHref } from './flash';
import { connectPage } from './pages/connect';
import { linkCreatedPage } from './pages/integrations';
import { problemPage } from './pages/layout';

const PAGE = { contentType: 'text/html', description: 'A dashboard page, or a 303 redirect back to the page the form was on.' };
const op = (operationId: string, summary: string) => ({ operationId, summary, tags: ['Dashboard'], public: true, extension: true, rawResponse: PAGE });
/** Relink links from the dashboard are sent to the customer by the operator: a magic link for a week. */
const RELINK_MINUTES = 7 * 24 * 60;

/**
 * The dashboard's actions: HTML forms (CSRF token + same-origin check in DashboardGate.form)
 * translated into calls of the owning modules' services, then a redirect back.
 */
@Controller('dashboard')
@Public()
export class DashboardActionsController {
  private readonly log = getLogger('dashboard');

  constructor(
    private readonly gate: DashboardGate,
    private readonly integrations: IntegrationsService,
    private readonly management: IntegrationManagementService,
    private readonly sync: SyncService,
    private readonly links: ConnectLinksService,
    private readonly deliveries: DeliveryLogService,
    private readonly worker: DeliveryWorker,
    private readonly connectors: ConnectorRegistry,
  ) {}

  @Post('integrations/:id/sync')
  @HttpCode(200)
  @ApiOperation(op('dashboardSyncNow', 'Sync an integration now'))
  async syncNow(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    await this.withIntegration(req, res, id, async (signed, i, back) => {
      const type = req.body.type === 'DELTA' ? 'DELTA' : 'FULL';
      const out = await this.sync.requestSync(i.id, { type, trigger: 'MANUAL' });
      this.audit(signed, 'sync requested', { integration_id: i.id, type: out.type, sync_id: out.sync_id });
      redirect(res, flashHref(back, out.already_queued ? 'sync-already' : 'sync-queued'));
    });
  }

  @Post('integrations/:id/enabled')
  @HttpCode(200)
  @ApiOperation(op('dashboardSetEnabled', 'Enable or disable an integration'))
  async setEnabled(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    await this.withIntegration(req, res, id, async (signed, i, back) => {
      const value = req.body.value === 'true';
      await this.management.setEnabled(i, value);
      this.audit(signed, value ? 'integration enabled' : 'integration disabled', { integration_id: i.id });
      redirect(res, flashHref(back, value ? 'enabled' : 'disabled'));
    });
  }

  @Post('integrations/:id/relink')
  @HttpCode(200)
  @ApiOperation(op('dashboardRelink', 'Create a relink link'))
  async relink(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    await this.withIntegration(req, res, id, async (signed, i, back) => {
      const { data, warnings } = await this.links.relink(i, { link_type: 'MAGIC_LINK', expires_in_minutes: RELINK_MINUTES });
      this.audit(signed, 'relink link created', { integration_id: i.id });
      sendLinkCreated(res, signed, `Relink link for ${i.endUserOrganizationName}`, { data, warnings }, back);
    });
  }

  @Post('integrations/:id/delete')
  @HttpCode(200)
  @ApiOperation(op('dashboardDelete', 'Delete an integration'))
  async remove(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    await this.withIntegration(req, res, id, async (signed, i) => {
      if (req.body.confirm !== 'yes') return redirect(res, `/dashboard/integrations/${encodeURIComponent(i.id)}/delete`);
      await this.management.delete(i);
      this.audit(signed, 'integration deleted', { integration_id: i.id });
      redirect(res, flashHref('/dashboard/integrations', 'deleted'));
    });
  }

  @Post('webhooks/events/:id/redeliver')
  @HttpCode(200)
  @ApiOperation(op('dashboardRedeliver', 'Redeliver a webhook event'))
  async redeliver(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const signed = await this.gate.form(req, res);
    if (!signed) return;
    await this.guarded(res, signed, '/dashboard/webhooks', async () => {
      const out = await this.deliveries.redeliver(signed.ctx.environmentId, id);
      this.worker.nudge();
      this.audit(signed, 'webhook event redelivered', { event_id: id, deliveries: out.deliveries });
      redirect(res, flashHref(backOf(req, '/dashboard/webhooks'), 'redelivered', out.deliveries));
    });
  }

  @Post('webhooks/redeliver-failed')
  @HttpCode(200)
  @ApiOperation(op('dashboardRedeliverFailed', 'Redeliver every failed webhook delivery since a time'))
  async redeliverFailed(@Req() req: Request, @Res() res: Response): Promise<void> {
    const signed = await this.gate.form(req, res);
    if (!signed) return;
    // <input type="datetime-local"> sends "2025-05-01T12:00" without a zone; the page says UTC.
    const raw = typeof req.body.since === 'string' ? req.body.since : '';
    const since = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(raw) ? new Date(`${raw}Z`) : null;
    if (!since || Number.isNaN(since.getTime())) {
      return sendPage(res, 400, problemPage(signed.ctx, 'Redelivery not started', 'Give the time as date and time (UTC).', '/dashboard/webhooks'));
    }
    await this.guarded(res, signed, '/dashboard/webhooks', async () => {
      const out = await this.deliveries.redeliverFailed(signed.ctx.environmentId, since.toISOString());
      this.worker.nudge();
      this.audit(signed, 'failed webhook deliveries redelivered', { since: since.toISOString(), deliveries: out.deliveries });
      redirect(res, flashHref('/dashboard/webhooks', 'redelivered-failed', out.deliveries));
    });
  }

  @Post('connect')
  @HttpCode(200)
  @ApiOperation(op('dashboardCreateLink', 'Create a connect link'))
  async createLink(@Req() req: Request, @Res() res: Response): Promise<void> {
    const signed = await this.gate.form(req, res);
    if (!signed) return;
    const form = Object.fromEntries(Object.entries(req.body as Record<string, unknown>).filter(([k, v]) => k !== 'csrf' && typeof v === 'string')) as Record<
      string,
      string
    >;
    const plain: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(form)) if (v.trim() !== '') plain[k] = v.trim();
    plain.enable_filtering = form.enable_filtering === 'true';
    // The API's own DTO and rules: the dashboard cannot create a link the API would refuse.
    const dto = plainToInstance(CreateLinkDto, plain);
    const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (problems.length) {
      const messages = problems.flatMap((p) =>
        Object.values(p.constraints ?? {})
          .slice(0, 1)
          .map((m) => (m.startsWith(p.property) ? m : `${p.property}: ${m}`)),
      );
      return sendPage(res, 400, connectPage(signed.ctx, toolList(this.connectors), form, messages));
    }
    await this.guarded(res, signed, '/dashboard/connect', async () => {
      const { data, warnings } = await this.links.createLink(signed.ctx.environmentId, dto);
      this.audit(signed, 'connect link created', { organization: dto.end_user_organization_name, link_type: dto.link_type ?? 'EMBEDDED' });
      sendLinkCreated(res, signed, `Connect link for ${dto.end_user_organization_name}`, { data, warnings }, '/dashboard/connect');
    });
  }

  /** Form checks, then the integration of the session's environment (another environment's is "not found"). */
  private async withIntegration(req: Request, res: Response, id: string, fn: (s: Signed, i: IntegrationEntity, back: string) => Promise<void>): Promise<void> {
    const signed = await this.gate.form(req, res);
    if (!signed) return;
    const back = backOf(req, `/dashboard/integrations/${encodeURIComponent(id)}`);
    await this.guarded(res, signed, back, async () => fn(signed, await this.integrations.find(signed.ctx.environmentId, id), back));
  }

  /** A refusal by the owning service (not found, inactive, …) becomes a page with its message, never a JSON error. */
  private async guarded(res: Response, signed: Signed, back: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e;
      sendPage(res, e.httpStatus, problemPage(signed.ctx, 'That did not work', e.message, back));
    }
  }

  private audit(s: Signed, what: string, fields: Record<string, unknown>): void {
    this.log.info({ ...fields, environment_id: s.ctx.environmentId, admin: s.session.isAdmin, api_key_id: s.session.apiKeyId }, `dashboard: ${what}`);
  }
}

/** The one-time page showing a link just created (connect or relink) with the service's warnings. */
function sendLinkCreated(
  res: Response,
  signed: Signed,
  title: string,
  created: { data: { link: string; expires_at: string }; warnings: { message: string }[] },
  back: string,
): void {
  sendPage(
    res,
    200,
    linkCreatedPage(
      signed.ctx,
      title,
      created.data,
      created.warnings.map((w) => w.message),
      back,
    ),
  );
}

/** The page to return to: the form's `back` field when it is a dashboard path, else the default. */
function backOf(req: Request, fallback: string): string {
  const back = (req.body as Record<string, unknown>).back;
  return typeof back === 'string' && /^\/dashboard\/[A-Za-z0-9/_:%.?=&-]*$/.test(back) && !back.includes('//') ? back.split('?')[0] : fallback;
}
