import { Column, Entity, PrimaryColumn } from 'typeorm';

export type IntegrationStatus = 'ACTIVE' | 'INVALID' | 'INACTIVE';
export type SetupStatus = 'INCOMPLETE' | 'FINAL_SYNC_PENDING' | 'COMPLETED';

/** Employee filters applied at sync time: OR within a field, AND across fields (ids are remote ids). */
export interface IntegrationFilters {
  legal_entity_remote_ids?: string[];
  location_remote_ids?: string[];
  group_remote_ids?: string[];
  employment_statuses?: string[];
  employment_types?: string[];
}

export interface IntegrationSettings {
  /** Minutes between delta syncs (default 5, minimum 1). */
  delta_interval_minutes?: number;
  /** Minutes between full syncs (default 360, minimum 1). */
  full_interval_minutes?: number;
  [key: string]: unknown;
}

@Entity('integrations')
export class IntegrationEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'environment_id' }) environmentId: string;
  @Column('text') tool: string;
  @Column('text') category: string;
  @Column('text') status: IntegrationStatus;
  @Column('text', { name: 'setup_status' }) setupStatus: SetupStatus;
  @Column('text', { name: 'end_user_organization_name' }) endUserOrganizationName: string;
  @Column('text', { name: 'end_user_email', nullable: true }) endUserEmail: string | null;
  @Column('text', { name: 'end_user_origin_id', nullable: true }) endUserOriginId: string | null;
  /** Sealed by the CredentialVault; never returned by the API. */
  @Column('text', { select: true }) credentials: string;
  /** Overrides the tool's API base URL (the Personio simulator in development). */
  @Column('text', { name: 'base_url', nullable: true }) baseUrl: string | null;
  @Column('jsonb') filters: IntegrationFilters;
  @Column('jsonb') settings: IntegrationSettings;
  @Column('text', { name: 'status_reason', nullable: true }) statusReason: string | null;
  @Column('timestamptz', { name: 'first_sync_completed_at', nullable: true }) firstSyncCompletedAt: Date | null;
  @Column('timestamptz', { name: 'data_expired_at', nullable: true }) dataExpiredAt: Date | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}
