import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inputInvalid } from '../common/errors';
import { toGatewayError } from '../integrations/connector-errors';
import { IntegrationEntity } from '../integrations/integration.entity';
import { SyncService } from '../sync/sync.service';

export interface UploadTargets {
  employeeRemoteId: string;
  categoryRemoteId: string;
}

/**
 * Turns the gateway ids of a POST into the HRIS's ids: the employee from the
 * synced hris_employees, the category from hris_document_categories. A
 * category id the table does not know yet (created in the HRIS since the last
 * sync) makes the sync engine re-read the categories at once, so the caller
 * need not wait for the next sync.
 */
@Injectable()
export class DocumentTargets {
  constructor(
    private readonly ds: DataSource,
    private readonly sync: SyncService,
  ) {}

  async resolve(integration: IntegrationEntity, employeeId: string, categoryId: string): Promise<UploadTargets> {
    const employeeRemoteId = await this.employee(integration, employeeId);
    return { employeeRemoteId, categoryRemoteId: await this.category(integration, categoryId) };
  }

  /** The HRIS id of a synced, not deleted employee (every write about an employee starts here). */
  async employee(integration: IntegrationEntity, employeeId: string): Promise<string> {
    const employees: Array<{ remote_id: string; remote_deleted_at: Date | null }> = await this.ds.query(
      `SELECT remote_id, remote_deleted_at FROM hris_employees WHERE integration_id = $1 AND id = $2`,
      [integration.id, employeeId],
    );
    if (!employees[0]) throw inputInvalid(`Invalid input: no employee with the ID "${employeeId}" exists in this integration.`);
    if (employees[0].remote_deleted_at) throw inputInvalid(`Invalid input: the employee "${employeeId}" has been deleted in the HRIS.`);
    return employees[0].remote_id;
  }

  /** The HRIS id of a document category, re-reading the categories once when the id is not known yet. */
  async category(integration: IntegrationEntity, categoryId: string): Promise<string> {
    const categoryRemoteId = (await this.categoryFromTable(integration.id, categoryId)) ?? (await this.refreshAndFind(integration, categoryId));
    if (!categoryRemoteId) {
      throw inputInvalid(`Invalid input: no document category with the ID "${categoryId}" exists in this integration; list them with GET /v1/hris/employee-document-categories.`);
    }
    return categoryRemoteId;
  }

  private async categoryFromTable(integrationId: string, categoryId: string): Promise<string | null> {
    const rows: Array<{ remote_id: string }> = await this.ds.query(
      `SELECT remote_id FROM hris_document_categories WHERE integration_id = $1 AND id = $2 AND remote_deleted_at IS NULL`,
      [integrationId, categoryId],
    );
    return rows[0]?.remote_id ?? null;
  }

  private async refreshAndFind(integration: IntegrationEntity, categoryId: string): Promise<string | null> {
    try {
      await this.sync.refreshDocumentCategories(integration.id);
    } catch (e) {
      throw toGatewayError(e);
    }
    return this.categoryFromTable(integration.id, categoryId);
  }
}
