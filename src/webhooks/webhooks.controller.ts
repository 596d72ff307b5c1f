import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { EnvironmentId } from '../auth/auth.decorators';
import { ok } from '../common/envelope';
import { ApiOperation } from '../openapi/operation.decorator';
import { arrayOf, int, obj, str } from '../openapi/schemas';
import { DeliveryLogService } from './delivery-log.service';
import { DeliveryWorker } from './delivery.worker';
import { EndpointsService } from './endpoints.service';
import { CreateEndpointDto, EventsQueryDto, RedeliverFailedDto, UpdateEndpointDto } from './webhooks.dto';
import { endpointSchema, endpointWithSecretSchema, eventDetailSchema, eventPageSchema } from './webhooks.schemas';

const TAGS = ['Webhooks'];
const ENDPOINT_PARAM = { endpoint_id: { description: 'The webhook endpoint id.' } };
const EVENT_PARAM = { event_id: { description: 'The event id (the envelope `id`).' } };

/** Webhook endpoints and the delivery log of the caller's environment (our extension). */
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly endpoints: EndpointsService,
    private readonly log: DeliveryLogService,
    private readonly worker: DeliveryWorker,
  ) {}

  @Post('endpoints')
  @ApiOperation({
    operationId: 'postWebhookEndpoint',
    summary: 'Create a webhook endpoint',
    tags: TAGS,
    extension: true,
    body: CreateEndpointDto,
    description: 'Registers a URL for this environment’s events. The signing secret is returned once, here.',
    response: endpointWithSecretSchema,
  })
  async create(@EnvironmentId() env: string, @Body() body: CreateEndpointDto) {
    return ok(await this.endpoints.create(env, body));
  }

  @Get('endpoints')
  @ApiOperation({
    operationId: 'getWebhookEndpoints',
    summary: 'List webhook endpoints',
    tags: TAGS,
    extension: true,
    response: obj({ results: arrayOf(endpointSchema) }),
  })
  async list(@EnvironmentId() env: string) {
    return ok({ results: await this.endpoints.list(env) });
  }

  @Get('endpoints/:endpoint_id')
  @ApiOperation({
    operationId: 'getWebhookEndpoint',
    summary: 'Get a webhook endpoint',
    tags: TAGS,
    extension: true,
    params: ENDPOINT_PARAM,
    response: endpointSchema,
    errors: ['PLATFORM.NOT_FOUND'],
  })
  async get(@EnvironmentId() env: string, @Param('endpoint_id') id: string) {
    return ok(await this.endpoints.get(env, id));
  }

  @Patch('endpoints/:endpoint_id')
  @ApiOperation({
    operationId: 'patchWebhookEndpoint',
    summary: 'Update a webhook endpoint',
    tags: TAGS,
    extension: true,
    params: ENDPOINT_PARAM,
    body: UpdateEndpointDto,
    response: endpointSchema,
    errors: ['PLATFORM.NOT_FOUND'],
  })
  async update(@EnvironmentId() env: string, @Param('endpoint_id') id: string, @Body() body: UpdateEndpointDto) {
    return ok(await this.endpoints.update(env, id, body));
  }

  @Delete('endpoints/:endpoint_id')
  @ApiOperation({
    operationId: 'deleteWebhookEndpoint',
    summary: 'Delete a webhook endpoint',
    tags: TAGS,
    extension: true,
    params: ENDPOINT_PARAM,
    description: 'Deletes the endpoint, its pending deliveries and its delivery log.',
    response: obj({ id: str() }),
    errors: ['PLATFORM.NOT_FOUND'],
  })
  async remove(@EnvironmentId() env: string, @Param('endpoint_id') id: string) {
    await this.endpoints.remove(env, id);
    return ok({ id });
  }

  @Post('endpoints/:endpoint_id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'postWebhookEndpointRotateSecret',
    summary: 'Rotate an endpoint’s signing secret',
    tags: TAGS,
    extension: true,
    params: ENDPOINT_PARAM,
    description: 'Returns a new secret (shown once). Until `previous_secret_expires_at` deliveries carry signatures with both the new and the old secret.',
    response: endpointWithSecretSchema,
    errors: ['PLATFORM.NOT_FOUND'],
  })
  async rotate(@EnvironmentId() env: string, @Param('endpoint_id') id: string) {
    return ok(await this.endpoints.rotateSecret(env, id));
  }

  @Get('events')
  @ApiOperation({
    operationId: 'getWebhookEvents',
    summary: 'List webhook events and their deliveries',
    tags: TAGS,
    extension: true,
    query: EventsQueryDto,
    description: 'Newest first, with each endpoint’s delivery state. Filter by type, delivery status, integration, endpoint and time.',
    response: eventPageSchema,
  })
  async events(@EnvironmentId() env: string, @Query() query: EventsQueryDto) {
    return ok(await this.log.list(env, query));
  }

  @Get('events/:event_id')
  @ApiOperation({
    operationId: 'getWebhookEvent',
    summary: 'Get a webhook event with every delivery attempt',
    tags: TAGS,
    extension: true,
    params: EVENT_PARAM,
    response: eventDetailSchema,
    errors: ['PLATFORM.NOT_FOUND'],
  })
  async event(@EnvironmentId() env: string, @Param('event_id') id: string) {
    return ok(await this.log.get(env, id));
  }

  @Post('events/:event_id/redeliver')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'postWebhookEventRedeliver',
    summary: 'Redeliver an event',
    tags: TAGS,
    extension: true,
    params: EVENT_PARAM,
    description: 'Sends the event again (same id) to every endpoint it was for and to endpoints since created that subscribe to its type.',
    response: obj({ event_id: str(), deliveries: int('How many deliveries were queued.') }),
    errors: ['PLATFORM.NOT_FOUND'],
  })
  async redeliver(@EnvironmentId() env: string, @Param('event_id') id: string) {
    const out = await this.log.redeliver(env, id);
    this.worker.nudge();
    return ok(out);
  }

  @Post('redeliver-failed')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'postWebhookRedeliverFailed',
    summary: 'Redeliver every failed delivery since a time',
    tags: TAGS,
    extension: true,
    body: RedeliverFailedDto,
    response: obj({ deliveries: int('How many failed deliveries were queued again.') }),
  })
  async redeliverFailed(@EnvironmentId() env: string, @Body() body: RedeliverFailedDto) {
    const out = await this.log.redeliverFailed(env, body.since, body.endpoint_id);
    this.worker.nudge();
    return ok(out);
  }
}
