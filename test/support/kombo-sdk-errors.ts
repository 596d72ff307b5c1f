import { HTTPClient, Kombo } from '@kombo-api/sdk';
import { KomboAtsError, KomboError, KomboGeneralError, KomboHrisError, ResponseValidationError } from '@kombo-api/sdk/models/errors';
import { haveKomboReference, KOMBO_REFERENCE, KomboReference } from './kombo-reference';
import type { TestGateway } from './gateway';

/**
 * What the kombo-sdk-errors*.e2e-spec.ts files share: every error path of every endpoint Kombo's
 * SDK has, called through the SDK (which validates every response, errors included, against
 * Kombo's schema): each must be the SDK's typed error (not ResponseValidationError) with a code
 * Kombo's document allows for that operation. Needs Kombo's document from ../shared/reference.
 */
export const describeWithReference = haveKomboReference ? describe : describe.skip;
// eslint-disable-next-line no-console -- say why the suite is skipped
if (!haveKomboReference) console.warn(`kombo-sdk-errors: SKIPPED — Kombo's OpenAPI document is not at ${KOMBO_REFERENCE} (../shared/reference/kombo/).`);
export const SDK_ERRORS_TITLE = haveKomboReference
  ? 'Kombo SDK error paths'
  : `Kombo SDK error paths — SKIPPED: Kombo's OpenAPI document is not at ${KOMBO_REFERENCE}`;
/** Kombo's document, or nothing when it is absent (the suites are skipped then). */
export const komboReferenceIfPresent = (): KomboReference => (haveKomboReference ? new KomboReference() : (undefined as never));

const TYPED: Record<string, new (...args: never[]) => KomboError> = {
  ErrorResponseGeneral: KomboGeneralError,
  ErrorResponseHRIS: KomboHrisError,
  ErrorResponseATS: KomboAtsError,
};

/**
 * The SDK's errors checked against Kombo's document: a client whose responses remember their
 * request, and checks that a call fails with the typed error of the operation that answered,
 * with a code that operation allows.
 */
export function sdkErrorChecks(ref: KomboReference, getGw: () => TestGateway) {
  // The request behind each response, so an error is checked against the operation that answered it.
  const requestOf = new WeakMap<Response, { method: string; url: string }>();

  const client = (opts: { api_key?: string; integration_id?: string }) => {
    const gw = getGw();
    const httpClient = new HTTPClient();
    httpClient.addHook('response', (res, req) => {
      requestOf.set(res, { method: req.method, url: req.url });
    });
    return new Kombo({ api_key: opts.api_key ?? gw.apiKey, integration_id: opts.integration_id, server_url: `${gw.url}/v1`, http_client: httpClient });
  };

  const failureOf = async (run: () => Promise<unknown>): Promise<unknown> => {
    try {
      await run();
      return undefined;
    } catch (e) {
      return e ?? new Error('undefined was thrown');
    }
  };

  /** An error of one call: the SDK's typed error for the operation, with a code the operation allows. */
  function checkTyped(name: string, error: unknown): { code: string; status: number; operation: string } {
    if (error === undefined) throw new Error(`${name} did not fail`);
    if (!(error instanceof KomboError)) throw error;
    const req = requestOf.get(error.rawResponse);
    const where = `${name}: ${req?.method} ${req?.url}`;
    const op = req && ref.operationFor(req.method, req.url);
    if (!op) throw new Error(`${where} is no operation in Kombo's document`);
    if (error instanceof ResponseValidationError) throw new Error(`${where}: the SDK could not parse the error (${error.pretty()})`);
    const body = JSON.parse(error.body) as { error: { code: string } };
    expect({ where, typed: error instanceof TYPED[op.errorSchema], allowed: op.codes.includes(body.error.code) }).toEqual({
      where,
      typed: true,
      allowed: true,
    });
    return { code: body.error.code, status: error.statusCode, operation: op.operationId };
  }

  /** Runs one call that must fail with a typed, allowed error. */
  const typedError = async (name: string, run: () => Promise<unknown>) => checkTyped(name, await failureOf(run));

  /** A call that may succeed; when it fails, the error must be typed and allowed. */
  async function succeedsOrTyped(name: string, run: () => Promise<unknown>): Promise<string | null> {
    const error = await failureOf(run);
    return error === undefined ? null : checkTyped(name, error).code;
  }

  return { client, typedError, succeedsOrTyped };
}
