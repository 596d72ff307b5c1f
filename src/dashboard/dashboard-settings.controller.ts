import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { GatewayError } from '../common/errors';
import { getLogger } from '../common/logger';
import { createValidationPipe } from '../common/validation';
import { IntegrationsService } from '../integrations/integrations.service';
import { FILTER_FIELDS } from '../integrations/management.settings';
import { PatchIntegrationSettingsDto } from '../integrations/management.settings.dto';
import { IntegrationSettingsService } from '../integrations/management.settings.service';
import { ApiOperation } from '../openapi/operation.decorator';
import { DashboardGate, redirect, sendPage } from './dashboard-gate';
import { flashHref } from './flash';
import { problemPage } from './pages/layout';

const VALIDATION = createValidationPipe();
const PAGE = { contentType: 'text/html', description: 'A 303 redirect back to the integration page, or a page naming what was refused.' };

/** The form → the API's PATCH body: every filter field is sent (an empty group clears it), an empty interval means the default. */
export function settingsPatchOf(body: Record<string, unknown>): Record<string, unknown> {
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).map(String);
  const minutes = (v: unknown) => {
    const s = typeof v === 'string' ? v.trim() : '';
    return s === '' ? null : /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
  };
  return {
    filters: Object.fromEntries(FILTER_FIELDS.map((f) => [f, list(body[f])])),
    delta_interval_minutes: minutes(body.delta_interval_minutes),
    full_interval_minutes: minutes(body.full_interval_minutes),
    expose_remote_data: body.expose_remote_data === 'true',
  };
}

/** Saving an integration's filters and intervals from its dashboard page, with the API's DTO and checks. */
@Controller('dashboard')
@Public()
export class DashboardSettingsController {
  private readonly log = getLogger('dashboard');

  constructor(
    private readonly gate: DashboardGate,
    private readonly integrations: IntegrationsService,
    private readonly settings: IntegrationSettingsService,
  ) {}

  @Post('integrations/:id/settings')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'dashboardSaveSettings',
    summary: 'Save the filters and sync settings of an integration',
    tags: ['Dashboard'],
    public: true,
    extension: true,
    rawResponse: PAGE,
  })
  async save(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const signed = await this.gate.form(req, res);
    if (!signed) return;
    const back = `/dashboard/integrations/${encodeURIComponent(id)}`;
    const refuse = (message: string, status = 400) => sendPage(res, status, problemPage(signed.ctx, 'Settings not saved', message, back));
    try {
      // The API's own pipe and DTO: the dashboard refuses exactly what PATCH …/settings refuses, in the same words.
      const dto = (await VALIDATION.transform(settingsPatchOf(req.body as Record<string, unknown>), {
        type: 'body',
        metatype: PatchIntegrationSettingsDto,
      })) as PatchIntegrationSettingsDto;
      const integration = await this.integrations.find(signed.ctx.environmentId, id);
      const { changed } = await this.settings.change(integration.id, dto, { type: 'DASHBOARD', id: signed.session.apiKeyId });
      this.log.info(
        { integration_id: id, changed, environment_id: signed.ctx.environmentId, admin: signed.session.isAdmin, api_key_id: signed.session.apiKeyId },
        'dashboard: integration settings saved',
      );
      redirect(res, flashHref(back, !changed.length ? 'settings-unchanged' : changed.includes('filters') ? 'settings-resync' : 'settings-saved'));
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e;
      refuse(e.message, e.httpStatus);
    }
  }
}
