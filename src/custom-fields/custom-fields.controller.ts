import { PageQueryDto } from '../common/page-query.dto';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query } from '@nestjs/common';
import type { SchemaObject } from 'openapi3-ts/oas31';
import { FIELD_KINDS } from '../../connectors/connector';
import { EnvironmentId } from '../auth/auth.decorators';
import { ok } from '../common/envelope';
import { CursorScope, PAGE_CURSORS, PageCursors } from '../common/cursor';
import { CurrentIntegration } from '../integrations/integration-scope.guard';
import { IntegrationEntity } from '../integrations/integration.entity';
import { ApiOperation } from '../openapi/operation.decorator';
import { arrayOf, bool, enumOf, nstr, nullable, obj, str } from '../openapi/schemas';
import { CreateCustomFieldDto, IntegrationFieldsQueryDto, UpdateCustomFieldMappingDto, UpdateIntegrationFieldDto } from './custom-fields.dto';
import { CustomFieldsService } from './custom-fields.service';
import { IntegrationFieldsService } from './integration-fields.service';

const FIELD_TYPE = enumOf(FIELD_KINDS, 'DEFAULT: a built-in attribute of the remote system; CUSTOM: one the customer created there.');
export const integrationFieldSchema = obj({
  id: str(),
  key: str('The key of the field in the remote system.'),
  model: str(),
  type: FIELD_TYPE,
  label: nstr(),
  is_passthrough_enabled: bool(),
  is_writable: { type: 'boolean', const: false },
});
export const customFieldSchema = obj({
  id: str(),
  key: str('The key in the `custom_fields` object of the model.'),
  integration_field: nullable(obj({ id: str(), key: str(), type: FIELD_TYPE, label: nstr() })),
  model: str(),
  label: nstr(),
  description: nstr(),
});
const listOf = (item: SchemaObject) =>
  obj({ results: arrayOf(item), next: nstr(), next_cursor: { ...nstr(), deprecated: true, description: '**(⚠️ Deprecated)** Use `next`.' } });
const ID_PARAM = { integration_id: { description: 'The ID of the integration.' } };

/** Pages by id; the cursor is bound to the integration and the list it came from. */
function paged<T extends { id: string }>(rows: T[], limit: number, cursors: PageCursors, scope: CursorScope) {
  const more = rows.length > limit;
  const results = more ? rows.slice(0, limit) : rows;
  const next = more ? cursors.encode(scope, [results[results.length - 1].id]) : null;
  return { results, next, next_cursor: next };
}

/** The id after which the page starts, from the request's cursor. */
function after(cursors: PageCursors, scope: CursorScope, cursor: string | undefined): string | null {
  return cursor ? cursors.decode(scope, cursor, 1)[0] : null;
}

@Controller('v1')
export class CustomFieldsController {
  constructor(
    private readonly customFields: CustomFieldsService,
    private readonly integrationFields: IntegrationFieldsService,
    @Inject(PAGE_CURSORS) private readonly cursors: PageCursors,
  ) {}

  @Get('integrations/:integration_id/custom-fields')
  @ApiOperation({
    operationId: 'getIntegrationsIntegrationIdCustomFields',
    summary: 'Get custom fields with current mappings',
    description: "The environment's custom fields with the integration field each is mapped to in this integration.",
    tags: ['General'],
    params: ID_PARAM,
    query: PageQueryDto,
    response: listOf(customFieldSchema),
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND'],
  })
  async list(@CurrentIntegration() integration: IntegrationEntity, @Query() q: PageQueryDto) {
    const scope: CursorScope = { list: 'custom-fields', owner: integration.id };
    const limit = q.page_size ?? 100;
    const rows = await this.customFields.page(integration.environmentId, integration.id, after(this.cursors, scope, q.cursor), limit + 1);
    return ok(paged(rows, limit, this.cursors, scope));
  }

  @Put('integrations/:integration_id/custom-fields/:custom_field_id')
  @ApiOperation({
    operationId: 'putIntegrationsIntegrationIdCustomFieldsCustomFieldId',
    summary: 'Put custom field mappings',
    description:
      'Maps a custom field to one of the integration fields (an attribute of the HRIS, e.g. `dynamic_123`), or removes the mapping with null. Applies to reads immediately.',
    tags: ['General'],
    params: { ...ID_PARAM, custom_field_id: { description: 'The ID of the custom field.' } },
    body: UpdateCustomFieldMappingDto,
    response: customFieldSchema,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND', 'PLATFORM.NOT_FOUND'],
  })
  async map(@CurrentIntegration() integration: IntegrationEntity, @Param('custom_field_id') id: string, @Body() body: UpdateCustomFieldMappingDto) {
    return ok(await this.customFields.map(integration, id, body.integration_field_id));
  }

  @Get('integrations/:integration_id/integration-fields')
  @ApiOperation({
    operationId: 'getIntegrationsIntegrationIdIntegrationFields',
    summary: 'Get integration fields',
    description: "The remote system's employee attributes. Read from the HRIS at most every 15 minutes; the stored list is served when it cannot be reached.",
    tags: ['General'],
    params: ID_PARAM,
    query: IntegrationFieldsQueryDto,
    response: listOf(integrationFieldSchema),
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND', 'INTEGRATION.AUTHENTICATION_INVALID', 'REMOTE.SERVICE_UNAVAILABLE'],
  })
  async fields(@CurrentIntegration() integration: IntegrationEntity, @Query() q: IntegrationFieldsQueryDto) {
    const scope: CursorScope = { list: 'integration-fields', owner: integration.id };
    const limit = q.page_size ?? 100;
    const rows = await this.integrationFields.page(integration, after(this.cursors, scope, q.cursor), limit + 1);
    return ok(
      paged(
        rows.map((r) => ({ ...r, is_writable: false as const })),
        limit,
        this.cursors,
        scope,
      ),
    );
  }

  @Patch('integrations/:integration_id/integration-fields/:integration_field_id')
  @ApiOperation({
    operationId: 'patchIntegrationsIntegrationIdIntegrationFieldsIntegrationFieldId',
    summary: 'Updates an integration fields passthrough setting',
    description:
      "With `enable_passthrough: true` the attribute's raw value appears in each employee's `integration_fields` (read from the stored remote data, no re-sync needed).",
    tags: ['General'],
    params: { ...ID_PARAM, integration_field_id: { description: 'The ID of the integration field.' } },
    body: UpdateIntegrationFieldDto,
    response: integrationFieldSchema,
    errors: ['PLATFORM.INTEGRATION_NOT_FOUND', 'PLATFORM.NOT_FOUND'],
  })
  async updateField(@CurrentIntegration() integration: IntegrationEntity, @Param('integration_field_id') id: string, @Body() body: UpdateIntegrationFieldDto) {
    return ok({ ...(await this.integrationFields.setPassthrough(integration, id, body.enable_passthrough)), is_writable: false as const });
  }

  @Get('custom-fields')
  @ApiOperation({
    operationId: 'getCustomFields',
    summary: "List the environment's custom fields",
    description: 'Our extension: Kombo defines custom fields in its dashboard; here they are managed over the API.',
    tags: ['Custom fields'],
    extension: true,
    query: PageQueryDto,
    response: listOf(customFieldSchema),
  })
  async listDefinitions(@EnvironmentId() environmentId: string, @Query() q: PageQueryDto) {
    const scope: CursorScope = { list: 'custom-field-definitions', owner: environmentId };
    const limit = q.page_size ?? 100;
    return ok(paged(await this.customFields.page(environmentId, null, after(this.cursors, scope, q.cursor), limit + 1), limit, this.cursors, scope));
  }

  @Post('custom-fields')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'postCustomFields',
    summary: 'Create a custom field',
    description: 'Our extension: defines a key that appears in `custom_fields` of the model for every integration of this environment (null until mapped).',
    tags: ['Custom fields'],
    extension: true,
    body: CreateCustomFieldDto,
    response: customFieldSchema,
    errors: ['PLATFORM.CONFLICT'],
  })
  async create(@EnvironmentId() environmentId: string, @Body() body: CreateCustomFieldDto) {
    return ok(await this.customFields.create(environmentId, body));
  }

  @Delete('custom-fields/:custom_field_id')
  @ApiOperation({
    operationId: 'deleteCustomFieldsCustomFieldId',
    summary: 'Delete a custom field',
    description: 'Our extension: removes the key and its mappings in every integration.',
    tags: ['Custom fields'],
    extension: true,
    params: { custom_field_id: { description: 'The ID of the custom field.' } },
    response: { type: 'object', properties: {} },
    errors: ['PLATFORM.NOT_FOUND'],
  })
  async remove(@EnvironmentId() environmentId: string, @Param('custom_field_id') id: string) {
    await this.customFields.remove(environmentId, id);
    return ok({});
  }
}
