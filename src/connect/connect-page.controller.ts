import { Body, Controller, Get, Headers, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { notFound } from '../common/errors';
import { PageAssets } from '../common/page-assets';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { ApiOperation } from '../openapi/operation.decorator';
import { ConnectPagesService, PageResponse } from './connect-pages.service';
import { pageHeaders } from './pages/layout';

const ASSETS = new PageAssets('connect', ['connect.js', 'connect.css']);
const PAGE = { contentType: 'text/html', description: 'The hosted connect page.' };
const TOKEN = { token: { description: 'The connect link token.' } };

/**
 * The hosted connect page (server-rendered HTML, no build step). Public: the link
 * token in the path is the credential. Form bodies are read here rather than through
 * a DTO because every problem must come back as a page in the customer's language,
 * not as a JSON error; ConnectPagesService checks each field.
 */
@Controller('connect')
@Public()
export class ConnectPageController {
  constructor(
    private readonly pages: ConnectPagesService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get('assets/:file')
  @ApiOperation({
    operationId: 'connectAsset',
    summary: 'Connect page asset',
    tags: ['Connect page'],
    public: true,
    extension: true,
    rawResponse: { contentType: 'application/javascript', description: 'Script or stylesheet.' },
  })
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSETS.send(res, file)) throw notFound(`No asset "${file}".`);
  }

  @Get(':token')
  @ApiOperation({
    operationId: 'connectPage',
    summary: 'Connect page',
    tags: ['Connect page'],
    public: true,
    extension: true,
    params: TOKEN,
    rawResponse: PAGE,
  })
  async show(@Param('token') token: string, @Headers('accept-language') lang: string | undefined, @Res() res: Response): Promise<void> {
    this.send(res, await this.pages.show(token, lang));
  }

  @Post(':token/test')
  @ApiOperation({
    operationId: 'connectPageTest',
    summary: 'Test the entered credentials',
    tags: ['Connect page'],
    public: true,
    extension: true,
    params: TOKEN,
    rawResponse: PAGE,
  })
  async test(@Param('token') token: string, @Body() form: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.send(res, this.sameOrigin(req) ?? (await this.pages.test(token, form ?? {}, req.headers['accept-language'])));
  }

  @Post(':token/reset')
  @ApiOperation({
    operationId: 'connectPageReset',
    summary: 'Forget the entered credentials',
    tags: ['Connect page'],
    public: true,
    extension: true,
    params: TOKEN,
    rawResponse: PAGE,
  })
  async reset(@Param('token') token: string, @Body() form: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.send(res, this.sameOrigin(req) ?? (await this.pages.reset(token, form ?? {}, req.headers['accept-language'])));
  }

  @Post(':token/finish')
  @ApiOperation({
    operationId: 'connectPageFinish',
    summary: 'Finish the connection',
    tags: ['Connect page'],
    public: true,
    extension: true,
    params: TOKEN,
    rawResponse: PAGE,
  })
  async finish(@Param('token') token: string, @Body() form: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.send(res, this.sameOrigin(req) ?? (await this.pages.finish(token, form ?? {}, req.headers['accept-language'])));
  }

  /** Besides the CSRF token: a browser's Origin header, when sent, must be this gateway. */
  private sameOrigin(req: Request): PageResponse | null {
    const origin = req.headers.origin;
    // "null" comes from privacy settings and sandboxed frames: no information, the CSRF token decides.
    if (!origin || origin === 'null') return null;
    const allowed = new Set([new URL(this.config.publicUrl).origin, `${req.protocol}://${req.get('host')}`]);
    return allowed.has(origin) ? null : { status: 403, html: 'Cross-origin form posts are not accepted.' };
  }

  private send(res: Response, page: PageResponse): void {
    res.status(page.status).set(pageHeaders(this.config.connectFrameAncestors)).send(page.html);
  }
}
