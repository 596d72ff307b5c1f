// The set-up of test/kombo-sdk.e2e-spec.ts for one registered tool: the tool's simulator, a gateway,
// an integration for it (no sync yet: the suite triggers the first one), and Kombo's SDK pointed at the gateway.
import { Kombo } from '@kombo-api/sdk';
import { KomboError, ResponseValidationError } from '@kombo-api/sdk/models/errors';
import { IntegrationsService } from '../../src/integrations/integrations.service';
import { startTestGateway, type TestGateway } from './gateway';
import { fixtureFor, type StartedTool, type ToolFixture } from './tools';

export interface KomboSdkEnv {
  fx: ToolFixture;
  gw: TestGateway;
  sandbox: StartedTool;
  integrationId: string;
  kombo: Kombo;
}

/** Starts everything before the file's (or describe block's) tests and closes it after. */
export function useKomboSdkEnv(tool: string, employees: number): KomboSdkEnv {
  const env = {} as KomboSdkEnv;
  beforeAll(async () => {
    env.fx = fixtureFor(tool);
    env.sandbox = await env.fx.start({ employees, seed: 11 });
    env.gw = await startTestGateway();
    const integration = await env.gw.app.get(IntegrationsService).create({
      environmentId: env.gw.environmentId,
      tool,
      credentials: env.sandbox.credentials,
      baseUrl: env.sandbox.baseUrl,
      endUserOrganizationName: 'Acme GmbH',
      endUserEmail: 'it@acme.example',
      endUserOriginId: 'acme-1',
    });
    env.integrationId = integration.id;
    env.kombo = new Kombo({ api_key: env.gw.apiKey, integration_id: env.integrationId, server_url: `${env.gw.url}/v1` });
  });
  afterAll(async () => {
    await env.gw?.close();
    await env.sandbox?.close();
  });
  return env;
}

/** The status and parsed body of the Kombo error a call fails with; fails if the call succeeds or the SDK cannot parse the error. */
export async function errorOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    // ResponseValidationError is a KomboError too: an error the SDK cannot parse is a failure.
    if (e instanceof ResponseValidationError) throw new Error(`the SDK rejected the error response: ${e.pretty()}`, { cause: e });
    if (e instanceof KomboError) return { status: e.statusCode, body: JSON.parse(e.body) };
    throw e;
  }
  throw new Error('expected the call to fail');
}
