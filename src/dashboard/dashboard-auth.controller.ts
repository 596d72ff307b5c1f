import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/auth.decorators';
import { minutesUntil, secondsUntil } from '../common/attempt-windows';
import { PageAssets } from '../common/page-assets';
import { ApiOperation } from '../openapi/operation.decorator';
import { DashboardGate, readCookie, redirect, sendPage } from './dashboard-gate';
import { signInPage } from './pages/layout';
import { LOGIN_COOKIE, SESSION_COOKIE, SESSION_MAX_AGE_SECONDS } from './sessions';
import { DashboardSignIn } from './sign-in';

const ASSETS = new PageAssets('dashboard', ['dashboard.js', 'dashboard.css']);
const PAGE = { contentType: 'text/html', description: 'A dashboard page (or a 303 redirect).' };
const op = (operationId: string, summary: string) => ({ operationId, summary, tags: ['Dashboard'], public: true, extension: true, rawResponse: PAGE });

/**
 * Signing in and out of the operator dashboard. Public at the API-key level: the
 * dashboard has its own session cookie (HttpOnly, SameSite=Strict, path /dashboard).
 */
@Controller('dashboard')
@Public()
export class DashboardAuthController {
  constructor(
    private readonly gate: DashboardGate,
    private readonly signIns: DashboardSignIn,
  ) {}

  @Get()
  @ApiOperation(op('dashboardHome', 'Dashboard home'))
  home(@Res() res: Response): void {
    redirect(res, '/dashboard/integrations');
  }

  @Get('assets/:file')
  @ApiOperation({ ...op('dashboardAsset', 'Dashboard script or stylesheet'), rawResponse: { contentType: 'text/css', description: 'Script or stylesheet.' } })
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSETS.send(res, file)) res.status(404).type('text/plain').send('Not found');
  }

  @Get('sign-in')
  @ApiOperation(op('dashboardSignInPage', 'Dashboard sign-in page'))
  signInForm(@Res() res: Response): void {
    this.showSignIn(res, 200, null);
  }

  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation(op('dashboardSignIn', 'Sign in to the dashboard'))
  async signIn(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    // The sign-in form has no session yet: a double-submit cookie stops a forged cross-site sign-in.
    const cookie = readCookie(req, LOGIN_COOKIE) ?? '';
    const given = typeof body.csrf === 'string' ? body.csrf : '';
    if (!this.gate.sameOrigin(req) || !cookie || cookie.length !== given.length || !timingSafeEqual(Buffer.from(cookie), Buffer.from(given))) {
      this.showSignIn(res, 403, 'The sign-in form expired. Please try again.');
      return;
    }
    const outcome = await this.signIns.attempt(typeof body.secret === 'string' ? body.secret : '', req.ip);
    if (!outcome.ok && outcome.throttledUntil) {
      const minutes = minutesUntil(outcome.throttledUntil);
      res.set('Retry-After', String(secondsUntil(outcome.throttledUntil)));
      this.showSignIn(res, 429, `Too many sign-in attempts; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
      return;
    }
    if (!outcome.ok) {
      this.showSignIn(res, 401, 'That is not a valid API key or admin password.');
      return;
    }
    res.append('Set-Cookie', this.cookie(SESSION_COOKIE, outcome.cookie, SESSION_MAX_AGE_SECONDS));
    res.append('Set-Cookie', this.cookie(LOGIN_COOKIE, '', 0));
    redirect(res, '/dashboard/integrations');
  }

  @Post('sign-out')
  @HttpCode(200)
  @ApiOperation(op('dashboardSignOut', 'Sign out of the dashboard'))
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    const signed = await this.gate.form(req, res);
    if (!signed) return;
    await this.gate.sessions.signOut(signed.session);
    res.append('Set-Cookie', this.cookie(SESSION_COOKIE, '', 0));
    redirect(res, '/dashboard/sign-in');
  }

  @Post('environment')
  @HttpCode(200)
  @ApiOperation(op('dashboardSwitchEnvironment', 'Switch environment (admin)'))
  async switchEnvironment(@Req() req: Request, @Res() res: Response): Promise<void> {
    const signed = await this.gate.form(req, res);
    if (!signed) return;
    const id = (req.body as Record<string, unknown>).environment_id;
    const ok = typeof id === 'string' && (await this.gate.sessions.switchEnvironment(signed.session, id));
    redirect(res, ok ? '/dashboard/integrations' : '/dashboard/integrations?error=environment');
  }

  private showSignIn(res: Response, status: number, error: string | null): void {
    const csrf = randomBytes(24).toString('hex');
    res.append('Set-Cookie', this.cookie(LOGIN_COOKIE, csrf, 1800));
    sendPage(res, status, signInPage(csrf, this.gate.sessions.adminEnabled, error));
  }

  private cookie(name: string, value: string, maxAge: number): string {
    const secure = this.gate.sessions.secureCookies ? '; Secure' : '';
    return `${name}=${encodeURIComponent(value)}; Path=/dashboard; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`;
  }
}
