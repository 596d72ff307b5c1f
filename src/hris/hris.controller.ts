import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ok, SuccessEnvelope } from '../common/envelope';
import { ErrorCode } from '../common/errors';
import { CurrentIntegration } from '../integrations/integration-scope.guard';
import { IntegrationEntity } from '../integrations/integration.entity';
import { ApiOperation } from '../openapi/operation.decorator';
import { documentCategorySchema, employeeSchema, employmentSchema, groupSchema, legalEntitySchema, locationSchema, pageOf } from './hris.schemas';
import { HrisReadService, Page } from './hris-read.service';
import { EmployeesQueryDto, GroupsQueryDto, ListQueryDto, NameQueryDto } from './list-query.dto';

type ListResponse = SuccessEnvelope<Page<Record<string, unknown>>>;

const READ_ERRORS: ErrorCode[] = ['PLATFORM.INTEGRATION_NOT_FOUND', 'INTEGRATION.SETUP_SYNC_PENDING', 'INTEGRATION.SETUP_INCOMPLETE'];
const common = { tags: ['HRIS'], integrationHeader: true as const, errors: READ_ERRORS };

/** Kombo's HRIS read endpoints, scoped by X-Integration-Id (IntegrationScopeGuard). */
@Controller('v1/hris')
export class HrisController {
  constructor(private readonly reads: HrisReadService) {}

  @Get('employees')
  @ApiOperation({
    ...common,
    operationId: 'getHrisEmployees',
    summary: 'Get employees',
    description:
      'Employees with their employments, manager, groups, legal entity and work location. Paged by `cursor`, filters AND across parameters, OR within one.',
    query: EmployeesQueryDto,
    response: pageOf(employeeSchema),
  })
  async employees(@CurrentIntegration() integration: IntegrationEntity, @Query() q: EmployeesQueryDto, @Res() res: Response): Promise<void> {
    // Already JSON (HrisReadService.employeesJson): written as it is, not serialised again, nor hashed for
    // an ETag (a page read by cursor is not revalidated; hashing 50-250 KB cost more than the rest of the reply).
    const body = Buffer.from(await this.reads.employeesJson(integration, q), 'utf8'); // encoded once, its length known
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    res.end(body);
  }

  @Get('employments')
  @ApiOperation({ ...common, operationId: 'getHrisEmployments', summary: 'Get employments', query: ListQueryDto, response: pageOf(employmentSchema) })
  async employments(@CurrentIntegration() integration: IntegrationEntity, @Query() q: ListQueryDto): Promise<ListResponse> {
    return ok(await this.reads.list('employments', integration, q));
  }

  @Get('groups')
  @ApiOperation({
    ...common,
    operationId: 'getHrisGroups',
    summary: 'Get groups',
    description: 'Departments, teams and cost centers.',
    query: GroupsQueryDto,
    response: pageOf(groupSchema),
  })
  async groups(@CurrentIntegration() integration: IntegrationEntity, @Query() q: GroupsQueryDto): Promise<ListResponse> {
    return ok(await this.reads.list('groups', integration, q));
  }

  @Get('teams')
  @ApiOperation({
    ...common,
    operationId: 'getHrisTeams',
    summary: 'Get teams (deprecated)',
    description: '**(⚠️ Deprecated)** Use `GET /hris/groups`. Same records, without the `types` and `name_contains` filters.',
    deprecated: true,
    query: ListQueryDto,
    response: pageOf(groupSchema),
  })
  async teams(@CurrentIntegration() integration: IntegrationEntity, @Query() q: ListQueryDto): Promise<ListResponse> {
    return ok(await this.reads.list('groups', integration, q));
  }

  @Get('legal-entities')
  @ApiOperation({ ...common, operationId: 'getHrisLegalEntities', summary: 'Get legal entities', query: NameQueryDto, response: pageOf(legalEntitySchema) })
  async legalEntities(@CurrentIntegration() integration: IntegrationEntity, @Query() q: NameQueryDto): Promise<ListResponse> {
    return ok(await this.reads.list('legal_entities', integration, q));
  }

  @Get('locations')
  @ApiOperation({ ...common, operationId: 'getHrisLocations', summary: 'Get work locations', query: NameQueryDto, response: pageOf(locationSchema) })
  async locations(@CurrentIntegration() integration: IntegrationEntity, @Query() q: NameQueryDto): Promise<ListResponse> {
    return ok(await this.reads.list('locations', integration, q));
  }

  @Get('employee-document-categories')
  @ApiOperation({
    ...common,
    operationId: 'getHrisEmployeeDocumentCategories',
    summary: 'Get employee document categories',
    description: 'The categories a document can be uploaded into (`POST /hris/employees/{employee_id}/documents`).',
    query: ListQueryDto,
    response: pageOf(documentCategorySchema),
  })
  async documentCategories(@CurrentIntegration() integration: IntegrationEntity, @Query() q: ListQueryDto): Promise<ListResponse> {
    return ok(await this.reads.list('employee_document_categories', integration, q));
  }
}
