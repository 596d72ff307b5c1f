import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The source fingerprint an employee row was derived from (with the gateway's version), so
 * a full sync takes a page whose people arrived exactly as before as unchanged without
 * building its rows. Null (never matches) for rows stored before, or from a connector that
 * gives no fingerprint; the next sync that reads them fills it in.
 */
export class EmployeeSourceHash1795360000000 implements MigrationInterface {
  name = 'EmployeeSourceHash1795360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE hris_employees ADD COLUMN source_hash text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE hris_employees DROP COLUMN source_hash`);
  }
}
