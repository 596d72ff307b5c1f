import { IncomingMessage } from 'node:http';
import { TOKEN_TTL_MS } from './auth';
import { Reply, json, parseFields, readBody, v1Error } from './http-util';
import { SandboxState } from './state';

/** `POST /v1/auth`: JSON or form body; query-string credentials only while the 2026-12 removal is off. */
export async function authenticate(state: SandboxState, req: IncomingMessage, query: URLSearchParams): Promise<{ reply: Reply; clientId: string | null }> {
  const body = await readBody(req).catch(() => Buffer.alloc(0));
  const fields = parseFields(body, req.headers['content-type']) ?? {};
  const fromQuery = query.has('client_id') || query.has('client_secret');
  const clientId = fields.client_id || query.get('client_id') || null;
  const secret = fields.client_secret || query.get('client_secret') || '';

  if (state.options.rateLimits && !state.limits.auth.take(clientId ?? 'anonymous', state.clock.monotonic())) {
    return { reply: v1Error(429, 'Too Many Attempts.', 429), clientId };
  }
  if (fromQuery && !fields.client_id && state.options.rejectQueryCredentials) {
    return {
      reply: v1Error(403, 'Query string credentials are no longer supported. Send client_id and client_secret in the request body.', 403),
      clientId,
    };
  }
  if (!clientId || !secret) {
    return {
      reply: v1Error(400, 'The given data failed to pass validation.', 0, { error_data: { client_id: ['required'], client_secret: ['required'] } }),
      clientId,
    };
  }
  const credential = state.auth.verifySecret(clientId, secret);
  if (!credential) return { reply: v1Error(401, 'Wrong client credentials', 401), clientId };
  const token = state.auth.issue(credential.clientId, state.clock.now(), state.options.legacyRotatingTokens);
  return {
    reply: json(200, { success: true, data: { token, expires_in: TOKEN_TTL_MS / 1000, scope: credential.scopes.join(' ') } }),
    clientId,
  };
}
