import { Injectable } from '@nestjs/common';
import { isConnectorError, type TrainingRecord, type UploadRules } from '../../connectors/connector';
import { GatewayError, inputInvalid } from '../common/errors';
import { getLogger } from '../common/logger';
import { prepareFile, obtainFile, type PreparedFile } from '../documents/document-file';
import { DocumentTargets } from '../documents/document-targets';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { DocumentUploadSettings } from '../documents/documents.settings';
import { assertWritable } from '../documents/documents.service';
import { assertCalendarDate } from '../documents/file-rules';
import { UploadSender } from '../documents/upload-sender';
import { toGatewayError } from '../integrations/connector-errors';
import { IntegrationEntity } from '../integrations/integration.entity';
import { AddEmployeeTrainingDto, COMPLETED_AT } from './trainings.dto';

export interface AddTrainingResult {
  data: { employee_id: string; name: string; completed_on: string; remote_id: string | null };
  warnings: { message: string }[];
}

/**
 * POST /hris/employees/{id}/trainings (our extension): a completed course written
 * into the HRIS's training records, with an optional certificate. Everything that
 * can be refused locally is, with the document endpoint's own rules and pieces
 * (integration state, employee lookup, file checks, data_url download, the
 * per-integration write queue, the error mapping); the write itself is the
 * connector's `writeTraining`. Success is only reported once the HRIS took it.
 */
@Injectable()
export class TrainingsService {
  private readonly log = getLogger('trainings');

  constructor(
    private readonly targets: DocumentTargets,
    private readonly sender: UploadSender,
    private readonly settings: DocumentUploadSettings,
    private readonly connectors: ConnectorRegistry,
  ) {}

  async addTraining(
    integration: IntegrationEntity,
    employeeId: string,
    body: AddEmployeeTrainingDto,
    idempotencyKey: string | undefined,
    streamed?: Buffer,
  ): Promise<AddTrainingResult> {
    const deadline = Date.now() + this.settings.requestBudgetMs;
    assertWritable(integration);
    const connector = this.connectors.find(integration.tool);
    const write = connector?.writeTraining?.bind(connector);
    if (!connector || !write || !connector.tool.coverage.write.trainings) {
      throw new GatewayError(
        'INTEGRATION.ACTION_NOT_AVAILABLE',
        `Writing trainings is not available for ${integration.tool} integrations; GET /v1/tools/hris shows which tools support it.`,
      );
    }
    if (idempotencyKey !== undefined) {
      // Refused rather than ignored: a caller relying on it would otherwise get a second record on a retry.
      throw inputInvalid('Invalid input: this route does not take an Idempotency-Key (see docs/trainings.md); send the request without it.');
    }
    const training = prepareTraining(body);
    const certificate = body.certificate ? prepareFile(body.certificate, connector.uploadRules, 'certificate', streamed) : null;
    const employeeRemoteId = await this.targets.employee(integration, employeeId);
    const categoryRemoteId = body.certificate?.category_id ? await this.targets.category(integration, body.certificate.category_id) : undefined;

    const warnings: { message: string }[] = [];
    try {
      const record: TrainingRecord = certificate
        ? { ...training, certificate: await this.certificate(certificate, connector.uploadRules, categoryRemoteId, training.completedOn, deadline, warnings) }
        : training;
      const result = await this.sender.run(integration, connector, deadline, { maxAttempts: 1, logFields: { employee_id: employeeId } }, (ctx) =>
        write(ctx, employeeRemoteId, record),
      );
      this.log.info({ integration_id: integration.id, employee_id: employeeId, remote_id: result.remote_id, certificate: !!certificate }, 'training written');
      return { data: { employee_id: employeeId, name: training.name, completed_on: training.completedOn, remote_id: result.remote_id }, warnings };
    } catch (e) {
      const err = toGatewayError(e);
      if (!(e instanceof GatewayError) && !isConnectorError(e))
        this.log.error({ err: e, integration_id: integration.id }, 'training write failed unexpectedly');
      this.log.warn({ integration_id: integration.id, employee_id: employeeId, code: err.code }, 'training write failed');
      throw err;
    }
  }

  private async certificate(
    file: PreparedFile,
    rules: UploadRules,
    categoryRemoteId: string | undefined,
    completedOn: string,
    deadline: number,
    warnings: { message: string }[],
  ): Promise<NonNullable<TrainingRecord['certificate']>> {
    const { bytes, contentType } = await obtainFile(file, rules, 'certificate', { fetch: this.settings.fetch, deadline, warnings });
    return { fileName: file.fileName, contentType, bytes, date: completedOn, ...(categoryRemoteId ? { categoryRemoteId } : {}) };
  }
}

/** The body's course fields as the connector takes them; the completion day is the date part as written. */
export function prepareTraining(body: AddEmployeeTrainingDto): TrainingRecord {
  const name = body.name.trim();
  if (name === '') throw inputInvalid('Invalid input: name must not be empty.');
  const m = COMPLETED_AT.exec(body.completed_at.trim());
  if (!m || Number.isNaN(Date.parse(body.completed_at.trim()))) {
    throw inputInvalid(`Invalid input: completed_at "${body.completed_at}" is not a date (YYYY-MM-DD) or an ISO 8601 date-time.`);
  }
  const completedOn = assertCalendarDate(m[1], 'completed_at');
  const notes = body.notes?.trim();
  return {
    name,
    completedOn,
    ...(body.hours !== undefined ? { hours: body.hours } : {}),
    ...(body.credits !== undefined ? { credits: body.credits } : {}),
    ...(notes ? { notes } : {}),
  };
}
