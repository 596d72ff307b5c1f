import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiKeysService } from '../auth/api-keys.service';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { PageContext, problemPage } from './pages/layout';
import { DashboardSession, DashboardSessions, SESSION_COOKIE } from './sessions';

export interface Signed {
  session: DashboardSession;
  ctx: PageContext;
}

/**
 * Security headers of every dashboard response: scripts and styles only from this
 * origin (no inline script), forms post only here, never framed, never cached.
 */
export const DASHBOARD_HEADERS: Record<string, string> = {
  'Content-Security-Policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export function sendPage(res: Response, status: number, body: string): void {
  res
    .status(status)
    .set({ ...DASHBOARD_HEADERS, 'Content-Type': 'text/html; charset=utf-8' })
    .send(body);
}

/** 303 so a POST is followed by a GET (no re-submission on reload). Only ever to our own /dashboard paths. */
export function redirect(res: Response, location: string): void {
  const safe = location.startsWith('/dashboard') && !location.startsWith('//') ? location : '/dashboard/integrations';
  res
    .status(303)
    .set({ ...DASHBOARD_HEADERS, Location: safe })
    .send();
}

/** Resolves the session of every dashboard request; signs out, redirects or refuses as needed. */
@Injectable()
export class DashboardGate {
  constructor(
    readonly sessions: DashboardSessions,
    private readonly keys: ApiKeysService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** The signed-in session, or null after redirecting to the sign-in page. */
  async page(req: Request, res: Response): Promise<Signed | null> {
    const session = await this.sessions.resolve(readCookie(req, SESSION_COOKIE));
    if (!session) {
      redirect(res, '/dashboard/sign-in');
      return null;
    }
    return { session, ctx: await this.context(session) };
  }

  /** As page(), and the form must come from this origin with the session's CSRF token. */
  async form(req: Request, res: Response): Promise<Signed | null> {
    const signed = await this.page(req, res);
    if (!signed) return null;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!this.sameOrigin(req) || !this.sessions.verifyCsrf(signed.session, body.csrf)) {
      sendPage(
        res,
        403,
        problemPage(
          signed.ctx,
          'Request refused',
          'The form was not sent from this dashboard page (missing or wrong CSRF token). Reload the page and try again.',
          '/dashboard/integrations',
        ),
      );
      return null;
    }
    return signed;
  }

  /** Besides the CSRF token: a browser's Origin header, when sent, must be this gateway. */
  sameOrigin(req: Request): boolean {
    const origin = req.headers.origin;
    if (!origin || origin === 'null') return true;
    return new Set([new URL(this.config.publicUrl).origin, `${req.protocol}://${req.get('host')}`]).has(origin);
  }

  private async context(s: DashboardSession): Promise<PageContext> {
    const environments = s.isAdmin ? (await this.keys.listEnvironments()).map((e) => ({ id: e.id, name: e.name })) : [];
    return { environmentId: s.environmentId, environmentName: s.environmentName, isAdmin: s.isAdmin, csrf: this.sessions.csrfToken(s), environments };
  }
}
