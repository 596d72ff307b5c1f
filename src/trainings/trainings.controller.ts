import { Body, Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { EMPLOYEE_WRITE_OPERATION, singleHeader } from '../documents/document-request';
import { streamedDocumentBytes } from '../documents/document-body';
import { CurrentIntegration } from '../integrations/integration-scope.guard';
import { IntegrationEntity } from '../integrations/integration.entity';
import { ApiOperation } from '../openapi/operation.decorator';
import { nstr, obj, str } from '../openapi/schemas';
import { AddEmployeeTrainingDto } from './trainings.dto';
import { TrainingsService } from './trainings.service';

/** Training write-back into the HRIS (our extension). */
@Controller('v1/hris')
export class TrainingsController {
  constructor(private readonly trainings: TrainingsService) {}

  @Post('employees/:employee_id/trainings')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'postHrisEmployeesEmployeeIdTrainings',
    summary: 'Add completed training to employee',
    description:
      "Writes a completed course (name, completion date, hours, credits, notes and an optional certificate file) into the employee's training records in the HRIS. " +
      'Only tools whose coverage lists `hris_add_employee_training` as SUPPORTED (GET /tools/hris, GET /integrations/{id}) have training records; the others answer `INTEGRATION.ACTION_NOT_AVAILABLE` (501). ' +
      "The certificate follows the document endpoint's rules (base64 `data` or a downloadable `data_url`, the tool's file types and size). " +
      'Answers only once the HRIS accepted the record. No `Idempotency-Key`: a request that failed with a network error may have been written; check the HRIS before retrying. See docs/trainings.md.',
    ...EMPLOYEE_WRITE_OPERATION,
    extension: true,
    errorFamily: 'HRIS',
    body: AddEmployeeTrainingDto,
    response: obj({
      employee_id: str('ID of the employee.'),
      name: str('The course name as written.'),
      completed_on: str('The completion day written (`YYYY-MM-DD`).'),
      remote_id: nstr('ID of the new training record in the HRIS, when it returns one.'),
    }),
  })
  async add(
    @CurrentIntegration() integration: IntegrationEntity,
    @Param('employee_id') employeeId: string,
    @Body() body: AddEmployeeTrainingDto,
    @Headers('idempotency-key') idempotencyKey: string | string[] | undefined,
    @Req() req: Request,
  ) {
    const result = await this.trainings.addTraining(integration, employeeId, body, singleHeader(idempotencyKey), streamedDocumentBytes(req));
    return { status: 'success' as const, data: result.data, warnings: result.warnings };
  }
}
