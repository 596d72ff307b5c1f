import { Controller, Delete, Get, Patch, Post, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { GatewayError } from '../common/errors';
import { CurrentIntegration } from '../integrations/integration-scope.guard';
import { IntegrationEntity } from '../integrations/integration.entity';
import { ApiOperation, OperationSpec } from '../openapi/operation.decorator';
import { modelIdOf, NOT_SERVED_ACTIONS, NOT_SERVED_MODELS } from './not-served';

// integrationHeader: the scope guard checks X-Integration-Id first, as Kombo does.
const spec = (operationId: string): OperationSpec => ({
  operationId,
  summary: 'Not served by this gateway',
  tags: [],
  integrationHeader: true,
  notServed: true,
});

const routeOf = (req: Request) => `${req.baseUrl ?? ''}${(req.route as { path?: string } | undefined)?.path ?? req.path}`;

function modelNotAvailable(req: Request, integration: IntegrationEntity): never {
  throw new GatewayError(
    'INTEGRATION.MODEL_NOT_AVAILABLE',
    `The model "${modelIdOf(routeOf(req))}" isn't available for this ${integration.tool} integration: this gateway does not serve it. GET /v1/tools/hris lists what each tool covers.`,
  );
}

function actionNotAvailable(req: Request, integration: IntegrationEntity): never {
  throw new GatewayError(
    'INTEGRATION.ACTION_NOT_AVAILABLE',
    `The action ${req.method} ${routeOf(req).replace(/^\/v1/, '')} isn't available for this ${integration.tool} integration: this gateway does not offer it.`,
  );
}

/** Kombo's routes for models and actions we do not offer (not-served.ts); each answers only its error. */
@Controller('v1')
export class NotServedController {
  @Get(NOT_SERVED_MODELS)
  @ApiOperation(spec('notServedModel'))
  model(@Req() req: Request, @CurrentIntegration() integration: IntegrationEntity): never {
    modelNotAvailable(req, integration);
  }

  @Get(NOT_SERVED_ACTIONS.GET)
  @ApiOperation(spec('notServedActionDescription'))
  describeAction(@Req() req: Request, @CurrentIntegration() integration: IntegrationEntity): never {
    actionNotAvailable(req, integration);
  }

  @Post(NOT_SERVED_ACTIONS.POST)
  @ApiOperation(spec('notServedPost'))
  post(@Req() req: Request, @CurrentIntegration() integration: IntegrationEntity): never {
    actionNotAvailable(req, integration);
  }

  @Put(NOT_SERVED_ACTIONS.PUT)
  @ApiOperation(spec('notServedPut'))
  put(@Req() req: Request, @CurrentIntegration() integration: IntegrationEntity): never {
    actionNotAvailable(req, integration);
  }

  @Patch(NOT_SERVED_ACTIONS.PATCH)
  @ApiOperation(spec('notServedPatch'))
  patch(@Req() req: Request, @CurrentIntegration() integration: IntegrationEntity): never {
    actionNotAvailable(req, integration);
  }

  @Delete(NOT_SERVED_ACTIONS.DELETE)
  @ApiOperation(spec('notServedDelete'))
  delete(@Req() req: Request, @CurrentIntegration() integration: IntegrationEntity): never {
    actionNotAvailable(req, integration);
  }
}
