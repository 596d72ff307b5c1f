import { ApiKeyEntity, EnvironmentEntity } from '../auth/api-key.entities';
import { IntegrationEntity } from '../integrations/integration.entity';

/** Every TypeORM entity. Modules that own a table add theirs here. */
export const ENTITIES = [EnvironmentEntity, ApiKeyEntity, IntegrationEntity];
