import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import express, { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { FEATURE_MODULES } from './app.modules';
import { ApiKeysService } from './auth/api-keys.service';
import { GatewayExceptionFilter } from './common/error.filter';
import { GatewayError } from './common/errors';
import { getLogger, NestPinoLogger } from './common/logger';
import { createValidationPipe, rejectHostileInput } from './common/validation';
import { ApiKeyAuthenticator } from './auth/api-key.authenticator';
import { AuthenticatedRequest } from './auth/auth.decorators';
import { answerClientError } from './common/client-error';
import { DOCUMENT_UPLOAD_ROUTE, fileBodyReader, fileBodyRouteOf, type FileBodyRoute } from './documents/document-body';
import { TRAINING_UPLOAD_ROUTE } from './trainings/trainings.dto';
import { GatewayConfig } from './config/config';
import { createDataSource, openDataSourceWithRetry, runMigrations } from './database/data-source';
import { routeErrorFamilies } from './openapi/openapi.builder';
import { httpDuration, httpRequests } from './metrics/metrics';
import { EmbeddedPostgres, startEmbeddedPostgres } from './database/embedded';
import { checkStoredSecretKeys } from './integrations/stored-secrets';
import { CREDENTIAL_VAULT, CredentialVault } from './integrations/vault';
import type { ConnectorMap } from './integrations/connector-registry';

/** Change notifications from an HRIS: unauthenticated by API key, so kept small (config.inbound.bodyLimit). */
export const INBOUND_ROUTES = /^\/inbound\//;

export interface Gateway {
  app: INestApplication;
  ds: DataSource;
  config: GatewayConfig;
  embedded: EmbeddedPostgres | null;
  /** Set only on a first start with an empty database: the one-time key to print. */
  firstKey: { environmentId: string; key: string } | null;
  close(): Promise<void>;
}

/** Opens the database (embedded when DATABASE_URL is unset), migrates it, and opens it to pg/TypeORM. */
export async function openDatabase(config: GatewayConfig, opts: { inMemory?: boolean } = {}): Promise<{ ds: DataSource; embedded: EmbeddedPostgres | null }> {
  const log = getLogger('database');
  let embedded: EmbeddedPostgres | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(opts.inMemory ? null : config.dataDir);
    url = embedded.url;
    log.info({ dataDir: opts.inMemory ? ':memory:' : config.dataDir }, 'embedded Postgres (PGlite) started');
  }
  let ds: DataSource;
  try {
    // The embedded database is up already: no retry needed.
    ds = embedded ? await createDataSource(url, { embedded: true }).initialize() : await openDataSourceWithRetry(url, config.databaseConnectTimeoutSeconds);
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
  try {
    const applied = await runMigrations(ds);
    if (applied.length) log.info({ migrations: applied }, 'migrations applied');
  } catch (e) {
    if (ds.isInitialized) await ds.destroy();
    await embedded?.stop();
    throw e;
  }
  return { ds, embedded };
}

export async function createGateway(config: GatewayConfig, opts: { inMemory?: boolean; listen?: boolean; connectors?: ConnectorMap } = {}): Promise<Gateway> {
  const { ds, embedded } = await openDatabase(config, opts);
  // A failure anywhere in start-up (a stored secret no key opens, the port in use…)
  // closes what was opened so far: no pool, worker or embedded database outlives it.
  let app: NestExpressApplication | undefined;
  let firstKey: Gateway['firstKey'];
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, ds, opts.connectors), {
      bodyParser: false,
      logger: new NestPinoLogger(),
      abortOnError: false,
    });
    await checkStoredSecretKeys(ds, app.get<CredentialVault>(CREDENTIAL_VAULT), config);
    configureHttp(app, config);
    firstKey = await app.get(ApiKeysService).bootstrap();
    if (opts.listen !== false) await app.listen(config.port, config.host);
  } catch (e) {
    await app?.close().catch(() => undefined);
    if (ds.isInitialized) await ds.destroy();
    await embedded?.stop();
    throw e;
  }
  let closed = false;
  return {
    app,
    ds,
    config,
    embedded,
    firstKey,
    async close() {
      if (closed) return;
      closed = true;
      await app.close(); // destroys the DataSource via DatabaseModule
      await embedded?.stop();
    },
  };
}

/** The POST routes whose JSON body carries a base64 file (read by fileBodyReader, not express.json). */
const FILE_BODY_ROUTES: readonly FileBodyRoute[] = [DOCUMENT_UPLOAD_ROUTE, TRAINING_UPLOAD_ROUTE];

export function configureHttp(app: NestExpressApplication, config: GatewayConfig): void {
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'extended');
  const log = getLogger('http');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (req.path.startsWith('/health') || req.path === '/metrics') return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The route template, not the path, keeps label values bounded.
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      httpDuration.observe({ method: req.method, route }, ms / 1000);
      log.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  });
  // The API key of a request with a body is checked before the body is read: an
  // unauthenticated client cannot make the gateway read (let alone parse) a
  // document-sized body. Every /v1 route that takes a body needs a key (the public
  // ones, like /v1/openapi.json, are GETs); body-less requests meet the guard.
  const authenticator = app.get(ApiKeyAuthenticator);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/v1/') || !hasBody(req)) return next();
    authenticator.authenticate(req as AuthenticatedRequest).then(
      () => next(),
      (e: unknown) => {
        // The body stays unread: close the connection after the answer rather than drain it.
        res.setHeader('Connection', 'close');
        next(e);
      },
    );
  });
  app.use(requireJsonContentType);
  // Routes whose body carries a file stream it (document-body.ts); inbound change
  // notifications (no API key) get their own small limit; every other route has the ordinary one.
  app.use(fileBodyReader(FILE_BODY_ROUTES));
  const json = express.json({ limit: config.bodyLimit });
  // Inbound deliveries keep their exact bytes too: a signature is computed over them, not over re-serialised JSON.
  const inbound = express.json({ limit: config.inbound.bodyLimit, verify: (req, _res, buf) => void ((req as Request & { rawBody?: Buffer }).rawBody = buf) });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (fileBodyRouteOf(req, FILE_BODY_ROUTES)) return next();
    return (INBOUND_ROUTES.test(req.path) ? inbound : json)(req, res, next);
  });
  const forms = express.urlencoded({ extended: false, limit: config.bodyLimit });
  app.use((req: Request, res: Response, next: NextFunction) => (INBOUND_ROUTES.test(req.path) ? next() : forms(req, res, next)));
  app.use(rejectHostileInput);
  // Requests Node's HTTP parser refuses never reach Express; answer them in the envelope too.
  app.getHttpServer().on('clientError', answerClientError);
  app.useGlobalFilters(new GatewayExceptionFilter(routeErrorFamilies(FEATURE_MODULES)));
  app.useGlobalPipes(createValidationPipe());
}

/** API writes take JSON; anything else is a clear 415 rather than an empty body. Hosted pages post forms. */
function requireJsonContentType(req: Request, _res: Response, next: NextFunction): void {
  if (!hasBody(req) || !req.path.startsWith('/v1/') || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method)) return next();
  if (req.is('application/json') || req.is('application/*+json')) return next();
  next(new GatewayError('PLATFORM.INPUT_INVALID', `Unsupported Content-Type "${req.headers['content-type'] ?? ''}": send application/json.`, { status: 415 }));
}

function hasBody(req: Request): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}
