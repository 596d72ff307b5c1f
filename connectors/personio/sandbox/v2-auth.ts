import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { TOKEN_TTL_MS } from './auth';
import { Reply, json, readBody } from './http-util';
import { problem } from './v2-http';
import { SandboxState } from './state';

const URI = 'https://developer.personio.de/reference/errors#credentials.oauth2.';

/** OAuth2-style 400 (`error`, `error_description`, …), not the v2 `errors[]` format (v2-extracts auth). */
function oauthError(error: string, description: string, uri: string, meta?: Record<string, unknown>): Reply {
  const r = json(400, {
    timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    trace_id: randomUUID(),
    error,
    error_description: description,
    error_uri: `${URI}${uri}`,
    ...(meta ? { meta } : {}),
  });
  r.contentType = 'application/problem+json';
  return r;
}

const isForm = (req: IncomingMessage) => (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

/** `POST /v2/auth/token`: client-credentials grant, form-encoded only, 150/min then 1/s for 60 s. */
export async function issueV2Token(state: SandboxState, req: IncomingMessage): Promise<{ reply: Reply; clientId: string | null }> {
  const body = await readBody(req).catch(() => Buffer.alloc(0));
  const fields = isForm(req) ? Object.fromEntries(new URLSearchParams(body.toString('utf8'))) : null;
  const clientId = fields?.client_id || null;
  if (state.options.rateLimits && !state.limits.authV2.take(clientId ?? 'anonymous', state.clock.monotonic())) {
    return { reply: problem(429, { title: 'Too Many Requests', detail: 'Rate limit exceeded for access tokens.' }), clientId };
  }
  if (!fields) {
    return {
      reply: oauthError(
        'invalid_request',
        'The content type of the request must be "application/x-www-form-urlencoded".',
        'invalid_request.invalid_request_content_type',
      ),
      clientId,
    };
  }
  const missing = ['grant_type', 'client_id', 'client_secret'].filter((k) => !fields[k]);
  if (missing.length > 0) {
    return {
      reply: oauthError('invalid_request', 'The request has missing or invalid required parameters.', 'invalid_request.required_parameters_missing', {
        missing_parameters: missing,
      }),
      clientId,
    };
  }
  if (fields.grant_type !== 'client_credentials') {
    return {
      reply: oauthError('unsupported_grant_type', 'The requested authorization grant type is not supported by the server.', 'unsupported_grant_type', {
        grant_type: fields.grant_type,
      }),
      clientId,
    };
  }
  const credential = state.auth.verifySecret(fields.client_id, fields.client_secret);
  if (!credential) {
    return {
      reply: oauthError(
        'invalid_client',
        'Client authentication failed (e.g., unknown client, wrong secret, no client authentication included, or unsupported authentication method).',
        'invalid_client',
      ),
      clientId,
    };
  }
  const requested = (fields.scope ?? '').split(' ').filter(Boolean);
  if (requested.some((s) => !credential.scopes.includes(s))) {
    return { reply: oauthError('invalid_scope', 'One of the requested scopes is invalid.', 'invalid_scope'), clientId };
  }
  const scopes = requested.length > 0 ? requested : [...credential.scopes];
  const token = state.auth.issue(credential.clientId, state.clock.now(), false, scopes);
  return {
    reply: json(200, { access_token: token, refresh_token: null, token_type: 'Bearer', expires_in: TOKEN_TTL_MS / 1000, scope: scopes.join(' ') }),
    clientId,
  };
}

/** `POST /v2/auth/revoke` with form field `token`: 200, empty body. */
export async function revokeV2Token(state: SandboxState, req: IncomingMessage): Promise<Reply> {
  const body = await readBody(req).catch(() => Buffer.alloc(0));
  if (!isForm(req))
    return oauthError(
      'invalid_request',
      'The content type of the request must be "application/x-www-form-urlencoded".',
      'invalid_request.invalid_request_content_type',
    );
  const token = new URLSearchParams(body.toString('utf8')).get('token');
  if (!token)
    return oauthError('invalid_request', 'The request has missing or invalid required parameters.', 'invalid_request.required_parameters_missing', {
      missing_parameters: ['token'],
    });
  state.auth.revoke(token);
  return { status: 200, body: '', contentType: 'text/plain' };
}
