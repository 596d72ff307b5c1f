import { Foundation1763769600000 } from './1763769600000-Foundation';
import { IntegrationsAndUnifiedModels1763769700000 } from './1763769700000-IntegrationsAndUnifiedModels';
import { CustomAndIntegrationFields1795304868554 } from './1795304868554-CustomAndIntegrationFields';
import { Webhooks1795304823033 } from './1795304823033-Webhooks';
import { SyncRuns1795304887378 } from './1795304887378-SyncRuns';
import { ConnectLinks1795304910307 } from './1795304910307-ConnectLinks';
import { DocumentUploads1795304937266 } from './1795304937266-DocumentUploads';
import { DashboardSessions1795305588075 } from './1795305588075-DashboardSessions';
import { WebhookInFlightIndex1795313600000 } from './1795313600000-WebhookInFlightIndex';
import { RetentionIndexes1795313870000 } from './1795313870000-RetentionIndexes';
import { AttemptWindows1795314166318 } from './1795314166318-AttemptWindows';
import { SyncRunSkippedRecords1795320000000 } from './1795320000000-SyncRunSkippedRecords';
import { SyncScheduleUtcOffset1795320000001 } from './1795320000001-SyncScheduleUtcOffset';
import { IntegrationSettingsChanges1795320000002 } from './1795320000002-IntegrationSettingsChanges';
import { SyncRunScheduledFor1795320000040 } from './1795320000040-SyncRunScheduledFor';
import { InboundEvents1795330000000 } from './1795330000000-InboundEvents';
import { RemoteFields1795340000000 } from './1795340000000-RemoteFields';
import { EmployeeSourceHash1795360000000 } from './1795360000000-EmployeeSourceHash';
import { UnifiedJsonLz41795360000001 } from './1795360000001-UnifiedJsonLz4';
import { InboundSubscriptionSecret1795350000000 } from './1795350000000-InboundSubscriptionSecret';
import { AccessInvalidation1795360000100 } from './1795360000100-AccessInvalidation';
import { RemoteDataJson1795360000200 } from './1795360000200-RemoteDataJson';
import { SyncPageMemos1795360000300 } from './1795360000300-SyncPageMemos';

/** Every migration, in order. A new migration file is added here too. */
export const MIGRATIONS = [
  Foundation1763769600000,
  IntegrationsAndUnifiedModels1763769700000,
  Webhooks1795304823033,
  CustomAndIntegrationFields1795304868554,
  SyncRuns1795304887378,
  ConnectLinks1795304910307,
  DocumentUploads1795304937266,
  DashboardSessions1795305588075,
  WebhookInFlightIndex1795313600000,
  RetentionIndexes1795313870000,
  AttemptWindows1795314166318,
  SyncRunSkippedRecords1795320000000,
  SyncScheduleUtcOffset1795320000001,
  IntegrationSettingsChanges1795320000002,
  SyncRunScheduledFor1795320000040,
  InboundEvents1795330000000,
  RemoteFields1795340000000,
  InboundSubscriptionSecret1795350000000,
  EmployeeSourceHash1795360000000,
  UnifiedJsonLz41795360000001,
  AccessInvalidation1795360000100,
  RemoteDataJson1795360000200,
  SyncPageMemos1795360000300,
];
