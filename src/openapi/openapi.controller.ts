import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import * as path from 'node:path';
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import { Public } from '../auth/auth.decorators';
import { notFound } from '../common/errors';

export const OPENAPI_DOCUMENT = Symbol('OPENAPI_DOCUMENT');

const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png']);

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>HRIS Gateway API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"><link rel="icon" href="/docs/assets/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true });`;

/** The OpenAPI document and an interactive reference page, served from local assets (no CDN). */
@Controller()
@Public()
export class OpenApiController {
  constructor(@Inject(OPENAPI_DOCUMENT) private readonly document: OpenAPIObject) {}

  @Get('v1/openapi.json')
  openapi(): OpenAPIObject {
    return this.document;
  }

  @Get('docs')
  docs(@Res() res: Response): void {
    res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    res.type('html').send(DOCS_HTML);
  }

  @Get('docs/init.js')
  init(@Res() res: Response): void {
    res.type('application/javascript').send(DOCS_INIT);
  }

  @Get('docs/assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSETS.has(file)) throw notFound(`No asset "${file}".`);
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(path.join(SWAGGER_UI_DIR, file));
  }
}
