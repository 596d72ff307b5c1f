import { DynamicModule, Global, Inject, Injectable, Module } from '@nestjs/common';
import type { HrisConnector } from '../../connectors/connector';
import { connectors } from '../../connectors/registry';

/** The connectors this gateway serves, by tool id (`connectors/registry.ts`; tests provide their own). */
export const CONNECTORS = Symbol('CONNECTORS');
export type ConnectorMap = Readonly<Record<string, HrisConnector<unknown>>>;

/** The registry's connectors, as the provider's default value. */
export const registeredConnectors = (): ConnectorMap => connectors as unknown as ConnectorMap;

/**
 * The one place that resolves the connector for a tool. Everything that talks to
 * an HRIS (sync, documents, connect, inbound, passthrough…) asks this provider,
 * so a test swaps connectors by providing CONNECTORS, never by patching a module.
 */
@Injectable()
export class ConnectorRegistry {
  constructor(@Inject(CONNECTORS) private readonly map: ConnectorMap) {}

  /** Tool ids in registration order; the first is the default where a tool may be left out. */
  ids(): string[] {
    return Object.keys(this.map);
  }

  all(): HrisConnector<unknown>[] {
    return Object.values(this.map);
  }

  /** The connector for a tool id, or undefined for a tool this gateway does not serve. */
  find(tool: string): HrisConnector<unknown> | undefined {
    return Object.prototype.hasOwnProperty.call(this.map, tool) ? this.map[tool] : undefined;
  }

  /** For integrations that exist: their tool was registered when they were created. */
  get(tool: string): HrisConnector<unknown> {
    const connector = this.find(tool);
    if (!connector) throw new Error(`No connector registered for tool "${tool}"`);
    return connector;
  }

  /** The tool used when a caller names none (connect links, the CLI): the first registered. */
  defaultTool(): string {
    const [first] = this.ids();
    if (!first) throw new Error('No connector is registered');
    return first;
  }
}

/** Provides the connectors (the registry's, or a test's) and the registry that resolves them, to every module. */
@Global()
@Module({})
export class ConnectorsModule {
  static forConnectors(map: ConnectorMap): DynamicModule {
    return { module: ConnectorsModule, providers: [{ provide: CONNECTORS, useValue: map }, ConnectorRegistry], exports: [CONNECTORS, ConnectorRegistry] };
  }
}
