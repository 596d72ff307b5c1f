import { MigrationInterface, QueryRunner } from 'typeorm';
import { hasLz4 } from './1795360000001-UnifiedJsonLz4';

const TABLES = ['hris_employees', 'hris_employments', 'hris_groups', 'hris_legal_entities', 'hris_locations', 'hris_document_categories'];

/**
 * remote_data is stored as json (the text as written) instead of jsonb. It is the HR system's
 * record as it arrived, kept to be served back and never queried into, so turning it into
 * jsonb's binary form on every write was work for nothing: with it as json, Postgres spends a
 * quarter less CPU storing a page of employees (backend CPU, 3,000 simulator employees: 42–43 ms
 * a page as jsonb, 32–37 ms as json), the table is 13 % smaller, and the API embeds it in its
 * responses without converting it back. Its keys keep the order the connector wrote them in.
 * The change rewrites the tables once; a type change resets a column's compression, so lz4 is
 * set again where the server has it (UnifiedJsonLz4).
 */
export class RemoteDataJson1795360000200 implements MigrationInterface {
  name = 'RemoteDataJson1795360000200';

  async up(q: QueryRunner): Promise<void> {
    const lz4 = await hasLz4(q);
    for (const table of TABLES)
      await q.query(
        `ALTER TABLE ${table} ALTER COLUMN remote_data TYPE json USING remote_data::json${lz4 ? ', ALTER COLUMN remote_data SET COMPRESSION lz4' : ''}`,
      );
  }

  async down(q: QueryRunner): Promise<void> {
    const lz4 = await hasLz4(q);
    for (const table of TABLES)
      await q.query(
        `ALTER TABLE ${table} ALTER COLUMN remote_data TYPE jsonb USING remote_data::jsonb${lz4 ? ', ALTER COLUMN remote_data SET COMPRESSION lz4' : ''}`,
      );
  }
}
