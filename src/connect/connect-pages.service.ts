import { Inject, Injectable } from '@nestjs/common';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { getLogger } from '../common/logger';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { ConnectLink } from './connect-links.store';
import { ConnectLinksService } from './connect-links.service';
import { ConnectFlowService, FlowRefusal } from './connect-flow.service';
import { localized, pageLang, t, type Lang } from './pages/i18n';
import { credentialsPage, donePage, PageContext, statusPage, verifiedPage } from './pages/steps';
import { csrfToken, hashToken, isTokenShaped, LINK_TOKEN_PREFIX, verifyCsrf } from './tokens';

export interface PageResponse {
  status: number;
  html: string;
}

type Form = Record<string, unknown>;

/**
 * The hosted connect page: resolves the link from its token, checks the form's CSRF
 * token, runs the step and renders the next page. Every outcome is a page in the
 * link's language; nothing here answers with JSON or a stack trace.
 */
@Injectable()
export class ConnectPagesService {
  private readonly log = getLogger('connect');

  constructor(
    private readonly links: ConnectLinksService,
    private readonly flow: ConnectFlowService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly connectors: ConnectorRegistry,
  ) {}

  get basePath(): string {
    return new URL(this.config.publicUrl).pathname.replace(/\/+$/, '');
  }

  private toolLabel(tool: string): string {
    return this.connectors.find(tool)?.tool.label ?? tool;
  }

  /** The link, or the page to show instead (unknown, expired, used). */
  private async open(token: string, acceptLanguage: string | undefined): Promise<ConnectLink | PageResponse> {
    const link = isTokenShaped(token, LINK_TOKEN_PREFIX) ? await this.links.store.byTokenHash(hashToken(token)) : null;
    if (!link) {
      const lang: Lang = /^\s*de\b/i.test(acceptLanguage ?? '') ? 'de' : 'en';
      // No link, so no tool: the page is titled with the gateway's default tool, as before links named one.
      return this.status(404, { lang, tool: this.toolLabel(this.connectors.defaultTool()), linkType: null }, 'unknown');
    }
    const lang = pageLang(link.language);
    if (link.usedAt) return this.status(410, { lang, tool: this.toolLabel(link.tool), linkType: link.linkType }, 'used');
    if (link.expiresAt.getTime() <= Date.now()) return this.status(410, { lang, tool: this.toolLabel(link.tool), linkType: link.linkType }, 'expired');
    return link;
  }

  private status(
    status: number,
    o: { lang: Lang; tool: string; linkType: ConnectLink['linkType'] | null },
    kind: 'unknown' | 'used' | 'expired' | 'error',
  ): PageResponse {
    const titles = {
      unknown: ['unknownTitle', 'unknownText'],
      used: ['usedTitle', 'usedText'],
      expired: ['expiredTitle', 'expiredText'],
      error: ['errorTitle', 'errorText'],
    } as const;
    const [title, text] = titles[kind];
    return {
      status,
      html: statusPage({
        lang: o.lang,
        toolLabel: o.tool,
        basePath: this.basePath,
        linkType: o.linkType,
        id: `link-${kind}`,
        title: t(o.lang, title),
        text: t(o.lang, text, { tool: o.tool }),
      }),
    };
  }

  private ctx(link: ConnectLink, token: string): PageContext {
    const connector = this.connectors.get(link.tool);
    return {
      lang: pageLang(link.language),
      toolLabel: connector.tool.label,
      tool: { label: connector.tool.label, fields: connector.credentials.fields, connect: connector.connect },
      basePath: this.basePath,
      linkType: link.linkType,
      token,
      organization: link.endUserOrganizationName,
      relink: !!link.relinkIntegrationId,
      csrf: csrfToken(link.csrfKey, link.id),
    };
  }

  /** The page for the link's current state: credentials, or (after a passing test) filters and finish. */
  private async current(link: ConnectLink, token: string, errors: string[] = [], status = 200): Promise<PageResponse> {
    const ctx = this.ctx(link, token);
    if (link.verifiedAt && link.pendingCredentials && link.lastCheck) {
      const selected = link.filterOptions ? await this.flow.currentFilters(link) : {};
      return { status, html: verifiedPage(ctx, { check: link.lastCheck, filters: link.filterOptions, selected, errors }) };
    }
    return { status, html: credentialsPage(ctx, { check: link.lastCheck, hasSavedCredentials: !!link.pendingCredentials, errors }) };
  }

  async show(token: string, acceptLanguage?: string): Promise<PageResponse> {
    const link = await this.open(token, acceptLanguage);
    return 'html' in link ? link : await this.current(link, token);
  }

  async test(token: string, form: Form, acceptLanguage?: string): Promise<PageResponse> {
    return this.step(token, form, acceptLanguage, async (link) => {
      await this.flow.testConnection(link, form);
      return null;
    });
  }

  async reset(token: string, form: Form, acceptLanguage?: string): Promise<PageResponse> {
    return this.step(token, form, acceptLanguage, async (link) => {
      await this.flow.reset(link);
      return null;
    });
  }

  async finish(token: string, form: Form, acceptLanguage?: string): Promise<PageResponse> {
    return this.step(token, form, acceptLanguage, async (link) => {
      const done = await this.flow.finish(link, form);
      const ctx = this.ctx(link, token);
      return { status: 200, html: donePage(ctx, done.activationToken) };
    });
  }

  /** Shared frame of every POST: link state, CSRF, the step, then the link's page again (or the step's own). */
  private async step(
    token: string,
    form: Form,
    acceptLanguage: string | undefined,
    run: (link: ConnectLink) => Promise<PageResponse | null>,
  ): Promise<PageResponse> {
    const link = await this.open(token, acceptLanguage);
    if ('html' in link) return link;
    const lang = pageLang(link.language);
    if (!verifyCsrf(link.csrfKey, link.id, form.csrf)) return this.current(link, token, [t(lang, 'csrf')], 403);
    try {
      const page = await run(link);
      if (page) return page;
    } catch (e) {
      if (!(e instanceof FlowRefusal)) {
        this.log.error({ err: e, link_id: link.id }, 'connect: step failed');
        return this.status(500, { lang, tool: this.toolLabel(link.tool), linkType: link.linkType }, 'error');
      }
      if (e.reason === 'used' || e.reason === 'expired') return this.status(410, { lang, tool: this.toolLabel(link.tool), linkType: link.linkType }, e.reason);
      const fresh = (await this.open(token, acceptLanguage)) as ConnectLink;
      return this.current(fresh, token, this.refusalText(lang, link.tool, e), e.reason === 'rate_limited' ? 429 : 400);
    }
    const fresh = await this.open(token, acceptLanguage);
    return 'html' in fresh ? fresh : this.current(fresh, token, [], fresh.lastCheck && !fresh.lastCheck.ok ? 422 : 200);
  }

  private refusalText(lang: Lang, tool: string, e: FlowRefusal): string[] {
    switch (e.reason) {
      case 'rate_limited':
        return [t(lang, 'rateLimited', { minutes: e.detail.minutes ?? 10 })];
      case 'not_verified':
        return [t(lang, 'notVerified')];
      case 'bad_filter':
        return [t(lang, 'badFilter')];
      default: {
        // Named by the field's own label; the connector's message is English, the page may not be.
        const fields = this.connectors.get(tool).credentials.fields;
        return (e.detail.fields ?? []).map((f) => {
          const field = fields.find((x) => x.key === f.field);
          return field ? t(lang, f.empty ? 'enterField' : 'badField', { label: localized(lang, field.label) }) : f.message;
        });
      }
    }
  }
}
