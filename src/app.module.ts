import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FEATURE_MODULES } from './app.modules';
import { GatewayConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { ConnectorMap, ConnectorsModule, registeredConnectors } from './integrations/connector-registry';
import { DatabaseModule } from './database/database.module';
import { gatewayOpenApiDocument } from './openapi/document';
import { OpenApiModule } from './openapi/openapi.module';

@Module({})
export class AppModule {
  /** `connectors` replaces the registry's (tests: a sped-up client, a fake HRIS). */
  static forRoot(config: GatewayConfig, ds: DataSource, connectors: ConnectorMap = registeredConnectors()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(config),
        ConnectorsModule.forConnectors(connectors),
        DatabaseModule.forDataSource(ds),
        OpenApiModule.forDocument(gatewayOpenApiDocument()),
        ...FEATURE_MODULES,
      ],
    };
  }
}
