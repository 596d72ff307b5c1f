import { Module } from '@nestjs/common';
import { ToolsController } from './tools.controller';

/** `GET /v1/tools/{category}`: the connectors this gateway ships, with their coverage. */
@Module({ controllers: [ToolsController] })
export class ToolsModule {}
