// Every HRIS the gateway can connect, in one typed map. Adding an HRIS is a
// new folder under connectors/ plus one line here.
import type { HrisConnector } from './connector';
import { personioConnector } from './personio/connector';

export const connectors = {
  personio: personioConnector,
} satisfies Record<string, HrisConnector<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each connector has its own credential type

export type ToolId = keyof typeof connectors;

export function isToolId(id: string): id is ToolId {
  return Object.prototype.hasOwnProperty.call(connectors, id);
}

/** The connector for a tool id, or undefined for an unknown tool. */
export function getConnector(toolId: string): HrisConnector<unknown> | undefined {
  return isToolId(toolId) ? (connectors[toolId] as HrisConnector<unknown>) : undefined;
}
