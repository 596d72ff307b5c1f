import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ok } from '../common/envelope';
import { GatewayError } from '../common/errors';
import { IntegrationEntity } from '../integrations/integration.entity';
import { CursorScope, PAGE_CURSORS, PageCursors } from '../common/cursor';
import type { AnyListQuery } from '../records/list-filters';
import type { RecordModel } from '../records/models';
import { readRecords } from '../records/reads';

export interface Page<T> {
  next: string | null;
  results: T[];
}

/**
 * The unified read API, served from Postgres through the records module (src/records/reads.ts):
 * readiness, cursors and the success envelope are this service's part.
 */
@Injectable()
export class HrisReadService {
  constructor(
    private readonly ds: DataSource,
    @Inject(PAGE_CURSORS) private readonly cursors: PageCursors,
  ) {}

  /** Reads are refused until the first full sync has produced a complete data set. */
  assertReadable(integration: IntegrationEntity): void {
    if (integration.setupStatus === 'INCOMPLETE') {
      throw new GatewayError('INTEGRATION.SETUP_INCOMPLETE', `The setup of integration "${integration.id}" is not complete yet, so no data is available.`);
    }
    if (!integration.firstSyncCompletedAt) {
      throw new GatewayError(
        'INTEGRATION.SETUP_SYNC_PENDING',
        `The first sync of integration "${integration.id}" has not finished yet. Retry once it has (the data-changed webhook tells you).`,
      );
    }
  }

  async list(model: RecordModel, integration: IntegrationEntity, q: AnyListQuery): Promise<Page<Record<string, unknown>>> {
    return (await this.read(model, integration, q, false)) as Page<Record<string, unknown>>;
  }

  /**
   * Employees as the finished JSON text of the success envelope. Postgres builds each
   * employee's JSON (nested objects included) and it is spliced into the response
   * as text: parsing ~240 KB of JSON per page in Node and serialising it again cost
   * more than the query itself. Only custom_fields and integration_fields, which
   * depend on this environment's field mapping, are built here. Configurations the
   * SQL does not cover (custom fields on employments) take the object path.
   */
  async employeesJson(integration: IntegrationEntity, q: AnyListQuery): Promise<string> {
    const page = await this.read('employees', integration, q, true);
    if (!isRawPage(page)) return JSON.stringify(ok(page));
    return `{"status":"success","data":{"next":${JSON.stringify(page.next)},"results":[${page.results.join(',')}]}}`;
  }

  private async read(model: RecordModel, integration: IntegrationEntity, q: AnyListQuery, asText: boolean): Promise<Page<Record<string, unknown>> | RawPage> {
    this.assertReadable(integration);
    const scope: CursorScope = { list: model, owner: integration.id, filters: { ...q } };
    const after = q.cursor !== undefined ? this.cursors.decode(scope, q.cursor, 1)[0] : null;
    const exposeRemote = integration.settings?.expose_remote_data === true;
    const page = await readRecords(
      this.ds,
      model,
      { integrationId: integration.id, environmentId: integration.environmentId, exposeRemote },
      q,
      after,
      q.page_size ?? 100,
      asText,
    );
    const next = page.more && page.lastId !== null ? this.cursors.encode(scope, [page.lastId]) : null;
    if (page.text) return { raw: true, next, results: page.results };
    return { next, results: page.results };
  }
}

interface RawPage {
  raw: true;
  next: string | null;
  /** Each employee's JSON text. */
  results: string[];
}

const isRawPage = (p: Page<Record<string, unknown>> | RawPage): p is RawPage => 'raw' in p;
