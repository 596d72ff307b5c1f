import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FEATURE_MODULES } from './app.modules';
import { GatewayConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { gatewayOpenApiDocument } from './openapi/document';
import { OpenApiModule } from './openapi/openapi.module';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, ds: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forConfig(config), DatabaseModule.forDataSource(ds), OpenApiModule.forDocument(gatewayOpenApiDocument()), ...FEATURE_MODULES],
    };
  }
}
