// The change list a write produces, for the outbox: which records were created, updated
// or deleted (with the unified fields that changed), collected per transaction together
// with the counts per model and the ids whose change shows nested inside employees.
import type { EntityManager } from 'typeorm';
import type { RecordModel } from './models';
import { propagateNested } from './deletions';

type ChangeAction = 'created' | 'updated' | 'deleted';

export interface RecordChange {
  model: RecordModel;
  action: ChangeAction;
  id: string;
  remote_id: string;
  /** For 'updated': the unified field names that changed. */
  changed_fields?: string[];
  /** Employees: group membership changed (→ hris_join_employees_teams). */
  memberships_changed?: boolean;
}

export interface ModelCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

export const zeroCounts = (): ModelCounts => ({ created: 0, updated: 0, deleted: 0, unchanged: 0 });

export interface WriteResult {
  counts: ModelCounts;
  changes: RecordChange[];
  /** Ids whose change shows up nested inside employees (manager fields, group/legal entity/location data, employments). */
  nestedChangedIds: string[];
}

export const emptyResult = (): WriteResult => ({ counts: zeroCounts(), changes: [], nestedChangedIds: [] });

/** Ids of changed records that employees show nested, by what they are to the employee. */
export interface NestedIds {
  managers: string[];
  groups: string[];
  legalEntities: string[];
  locations: string[];
  employeesOfEmployments: string[];
}

/** What one transaction wrote: counts per model (in write order) and the outbox's change list. */
export class ChangeSet {
  readonly counts: Array<[RecordModel, ModelCounts]> = [];
  readonly changes: RecordChange[] = [];
  private readonly nested: NestedIds = { managers: [], groups: [], legalEntities: [], locations: [], employeesOfEmployments: [] };

  add(model: RecordModel, res: WriteResult): void {
    this.counts.push([model, res.counts]);
    this.changes.push(...res.changes);
    if (!res.nestedChangedIds.length || model === 'employee_document_categories') return;
    const target = {
      employees: this.nested.managers,
      groups: this.nested.groups,
      legal_entities: this.nested.legalEntities,
      locations: this.nested.locations,
      employments: this.nested.employeesOfEmployments,
    }[model];
    target.push(...res.nestedChangedIds);
  }

  /** Moves changed_at of the employees that show a changed record nested (Kombo's updated_after rule); call once, last. */
  async propagate(em: EntityManager, integrationId: string, now: Date): Promise<this> {
    this.changes.push(...(await propagateNested(em, integrationId, this.nested, now)));
    return this;
  }
}
