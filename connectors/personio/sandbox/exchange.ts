// One request's bookkeeping for the v1 and v2 routers: its method, the caller
// once known, the fault latency, and a finish that logs and writes the reply.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Reply, delay, write } from './http-util';
import { SandboxState } from './state';

export interface Exchange {
  readonly method: string;
  /** Set once the credential is known (it goes into the request log). */
  clientId: string | null;
  finish(reply: Reply): void;
  /** Logs a request the sandbox answers by dropping the connection (status 0). */
  logReset(): void;
}

/** Starts an exchange after the configured fault latency. */
export async function beginExchange(state: SandboxState, req: IncomingMessage, res: ServerResponse, path: string): Promise<Exchange> {
  const method = req.method ?? 'GET';
  const log = (status: number) => state.logRequest({ at: Date.now(), method, path, status, clientId: x.clientId });
  const x: Exchange = {
    method,
    clientId: null,
    finish(reply) {
      log(reply.status);
      write(res, reply);
    },
    logReset: () => log(0),
  };
  if (state.faults.latencyMs > 0) await delay(state.faults.latencyMs);
  return x;
}
