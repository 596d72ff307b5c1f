import { createServer } from 'node:http';
import { Controller, Get, Headers, Module, Query, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Response } from 'express';
import type { FastifyReply } from 'fastify';
import { Pool } from 'pg';
import { createGateway } from '../src/bootstrap';
import { createLogger, setRootLogger } from '../src/common/logger';
import { loadConfig } from '../src/config/config';
import { applyHeapGrowth } from '../src/config/heap';
import { employeesJsonSql } from '../src/records/read-sql';

/**
 * The two servers of bench/api-employees.ts, each run in its own process:
 * - `gateway`: the real gateway (createGateway, as src/main.ts starts it);
 * - `baseline`: node:http + a bare pg Pool serving the same first page with the
 *   gateway's own query (each employee's JSON built by Postgres) and the same
 *   splicing of its two parts, without Nest, Express, guards, validation, API-key
 *   lookup, integration lookup or field-mapping query.
 * - `nest`: the baseline's handler as the one route of a bare NestJS application on
 *   Express (the gateway's framework and HTTP adapter, nothing of the gateway's own):
 *   what the framework alone costs per request.
 * - `fastify`: the same bare application on Nest's Fastify adapter: what the framework
 *   would cost with the other HTTP adapter Nest ships (the gateway runs on Express).
 */
async function gateway(): Promise<void> {
  const config = loadConfig();
  setRootLogger(createLogger(config.logLevel));
  const gw = await createGateway(config);
  // A clean exit on the orchestrator's SIGTERM (a --cpu-prof profile is written only then), as the baseline's.
  process.once('SIGTERM', () => void gw.close().finally(() => process.exit(0)));
  // PORT may be 0 (a free port): the parent learns the real one here.
  process.send?.({ port: (gw.app.getHttpServer().address() as { port: number }).port });
}

/** The baseline's page: the gateway's query on a bare pg Pool, its two parts spliced as the gateway does. */
function bareReads(): { pool: Pool; key: string; page(integrationId: string, pageSize: number): Promise<string> } {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
  const sql = employeesJsonSql(['t.integration_id = $1', 't.remote_deleted_at IS NULL'], '$2', { loadFields: false, exposeRemote: false, customFields: false });
  return {
    pool,
    key: process.env.BENCH_API_KEY!,
    async page(integrationId, pageSize) {
      const { rows } = await pool.query<{ head: string; tail: string }>(sql, [integrationId, pageSize + 1]);
      const page = rows.slice(0, pageSize).map((r) => `${r.head.slice(0, -1)},"custom_fields":{},"integration_fields":[],${r.tail.slice(1)}`);
      return `{"status":"success","data":{"next":${rows.length > pageSize ? '"more"' : 'null'},"results":[${page.join(',')}]}}`;
    },
  };
}

async function baseline(): Promise<void> {
  const reads = bareReads();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const integrationId = req.headers['x-integration-id'];
      if (req.headers.authorization !== `Bearer ${reads.key}` || typeof integrationId !== 'string' || url.pathname !== '/v1/hris/employees') {
        res.writeHead(404).end();
        return;
      }
      const body = await reads.page(integrationId, Number(url.searchParams.get('page_size') ?? 100));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  process.once('SIGTERM', () => void reads.pool.end().finally(() => process.exit(0)));
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
}

/** The baseline's handler as the one route of a bare NestJS application, on Express or on Fastify. */
async function bareNest(adapter: 'express' | 'fastify'): Promise<void> {
  const reads = bareReads();
  // Each adapter answers the way its own applications do: Express's res.end, Fastify's reply.send.
  const send = (res: Response | FastifyReply, status: number, body?: string) => {
    if (adapter === 'fastify')
      void (res as FastifyReply)
        .status(status)
        .header('content-type', 'application/json; charset=utf-8')
        .send(body ?? '');
    else (res as Response).status(status).setHeader('Content-Type', 'application/json; charset=utf-8').end(body);
  };
  @Controller('v1/hris')
  class EmployeesController {
    @Get('employees')
    async employees(
      @Headers('authorization') authorization: string | undefined,
      @Headers('x-integration-id') integrationId: string | undefined,
      @Query('page_size') pageSize: string | undefined,
      @Res() res: Response | FastifyReply,
    ): Promise<void> {
      if (authorization !== `Bearer ${reads.key}` || typeof integrationId !== 'string') return send(res, 404);
      send(res, 200, await reads.page(integrationId, Number(pageSize ?? 100)));
    }
  }
  @Module({ controllers: [EmployeesController] })
  class BareModule {}
  const app =
    adapter === 'fastify'
      ? await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create<NestExpressApplication>(BareModule, { logger: false });
  process.once('SIGTERM', () => void app.close().finally(() => void reads.pool.end().finally(() => process.exit(0))));
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  process.send?.({ port: (app.getHttpServer().address() as { port: number }).port });
}

// The orchestrator asks for this process's CPU time around a phase (CPU per request, whatever else runs on the machine).
process.on('message', (m) => {
  if (m !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  process.send?.({ cpuMs: (user + system) / 1000 });
});

const SERVERS: Record<string, () => Promise<void>> = { baseline, nest: () => bareNest('express'), fastify: () => bareNest('fastify'), gateway };
// Every server with the gateway's heap setting (src/main.ts applies it): the comparison is about the code.
applyHeapGrowth(loadConfig().heapGrowthPercent);
(SERVERS[process.argv[2]] ?? gateway)().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
