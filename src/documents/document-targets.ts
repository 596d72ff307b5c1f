import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inputInvalid } from '../common/errors';
import { toGatewayError } from '../integrations/connector-errors';
import { IntegrationEntity } from '../integrations/integration.entity';
import { documentCategoryRemoteId, findEmployee } from '../records/queries';
import { SyncService } from '../sync/sync.service';

export interface UploadTargets {
  employeeRemoteId: string;
  categoryRemoteId: string;
}

/**
 * Turns the gateway ids of a POST into the HRIS's ids: the synced employee
 * and document category (looked up through the records module). A
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
    const employee = await findEmployee(this.ds, integration.id, employeeId);
    if (!employee) throw inputInvalid(`Invalid input: no employee with the ID "${employeeId}" exists in this integration.`);
    if (employee.remote_deleted_at) throw inputInvalid(`Invalid input: the employee "${employeeId}" has been deleted in the HRIS.`);
    return employee.remote_id;
  }

  /** The HRIS id of a document category, re-reading the categories once when the id is not known yet. */
  async category(integration: IntegrationEntity, categoryId: string): Promise<string> {
    const categoryRemoteId = (await documentCategoryRemoteId(this.ds, integration.id, categoryId)) ?? (await this.refreshAndFind(integration, categoryId));
    if (!categoryRemoteId) {
      throw inputInvalid(
        `Invalid input: no document category with the ID "${categoryId}" exists in this integration; list them with GET /v1/hris/employee-document-categories.`,
      );
    }
    return categoryRemoteId;
  }

  private async refreshAndFind(integration: IntegrationEntity, categoryId: string): Promise<string | null> {
    try {
      await this.sync.refreshDocumentCategories(integration.id);
    } catch (e) {
      throw toGatewayError(e);
    }
    return documentCategoryRemoteId(this.ds, integration.id, categoryId);
  }
}
