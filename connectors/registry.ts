// Every HRIS the gateway can connect, in one typed map. Adding an HRIS is a
// new folder under connectors/ plus one line here. The gateway resolves a
// connector for a tool only through its ConnectorRegistry provider
// (src/integrations/connector-registry.ts), whose default is this map.
import type { HrisConnector } from './connector';
import { bamboohrConnector } from './bamboohr/connector';
import { personioConnector } from './personio/connector';

export const connectors = {
  personio: personioConnector,
  bamboohr: bamboohrConnector,
} satisfies Record<string, HrisConnector<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each connector has its own credential type
