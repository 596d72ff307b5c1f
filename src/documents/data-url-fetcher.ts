import * as http from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { inputInvalid } from '../common/errors';
import { OutboundGuard, UNSAFE_TARGET, UnsafeTargetError, type RefusedConnection } from '../common/ssrf';
import { describeSizeLimit } from './file-rules';

/**
 * Downloads a caller's `data_url` (a document's, a certificate's) at once, as Kombo does. The URL is
 * chosen by the API caller, so every hop goes through the outbound guard
 * (src/common/ssrf): only http(s), no credentials in the URL, and the address
 * actually connected to must be public. Redirects are followed by hand, each
 * hop re-checked. A Content-Encoding (gzip, deflate, br) is decoded, so the
 * HRIS gets the file itself; the decoded body is counted while it streams and
 * the download stops as soon as it passes the size cap (a compression bomb
 * stops there too).
 */
export interface FetchPolicy {
  allowPrivate: boolean;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** Which addresses may be connected to; the default is src/common/ssrf's public-unicast rule. */
  isAllowedAddress?: (address: string) => boolean;
  /** Name resolution; injectable so the rebinding and redirect rules can be tested without the internet. */
  resolve?: (host: string) => Promise<string[]>;
}

export interface FetchedFile {
  bytes: Buffer;
  /** The response's Content-Type, when it sent one. */
  contentType: string | null;
  /** Host of the last hop, for the upload log (never the full URL: signed URLs carry signatures). */
  host: string;
}

/** `field`: the body field the URL came from, as error messages name it. */
export async function fetchDataUrl(raw: string, policy: FetchPolicy, signal?: AbortSignal, field = 'document.data_url'): Promise<FetchedFile> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const abort = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const guard = new OutboundGuard({ ...policy, protocols: ['http:', 'https:'] });
  let url = raw;
  let label = field;
  for (let hop = 0; ; hop++) {
    let res: http.IncomingMessage;
    try {
      res = await guard.get(url, { signal: abort, label, headers: { 'user-agent': 'hris-gateway', accept: '*/*', 'accept-encoding': 'gzip, deflate, br' } });
    } catch (e) {
      throw describeFailure(e, deadline.aborted, field);
    }
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hop >= policy.maxRedirects) throw inputInvalid(`Invalid input: ${field} redirected more than ${policy.maxRedirects} times.`);
      url = redirectTarget(res.headers.location, url, field);
      label = `${field} (after a redirect)`;
      continue;
    }
    if (status < 200 || status >= 300) {
      res.resume();
      throw inputInvalid(`Invalid input: ${field} answered HTTP ${status}; it must be downloadable without authentication.`);
    }
    const decoders = decodersFor(res, field);
    const declared = Number(res.headers['content-length'] ?? NaN);
    if (decoders.length === 0 && Number.isFinite(declared) && declared > policy.maxBytes) {
      res.destroy();
      throw tooLarge(policy.maxBytes, field);
    }
    const bytes = await readCapped(res, decoders, policy.maxBytes, deadline, field);
    const type = res.headers['content-type'];
    return { bytes, contentType: typeof type === 'string' && type.trim() ? type.trim() : null, host: new URL(url).host };
  }
}

function redirectTarget(location: string, from: string, field: string): string {
  try {
    return new URL(location, from).toString();
  } catch {
    throw inputInvalid(`Invalid input: ${field} redirected to an invalid URL.`);
  }
}

/** Decoders for the response's Content-Encoding, last-applied first; an encoding we cannot undo is refused. */
function decodersFor(res: http.IncomingMessage, field: string): Transform[] {
  const header = res.headers['content-encoding'];
  const codings = (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  return codings.reverse().map((coding) => {
    if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip();
    if (coding === 'deflate') return zlib.createInflate();
    if (coding === 'br') return zlib.createBrotliDecompress();
    res.destroy();
    throw inputInvalid(
      `Invalid input: ${field} was sent with Content-Encoding "${coding}", which the gateway cannot decode; serve the file as is, gzip, deflate or br.`,
    );
  });
}

function readCapped(res: http.IncomingMessage, decoders: Transform[], maxBytes: number, deadline: AbortSignal, field: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const body: Readable = decoders.at(-1) ?? res;
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      reject(e);
      res.destroy();
    };
    const brokeOff = () => fail(deadline.aborted ? timedOut(field) : inputInvalid(`Invalid input: the download of ${field} broke off.`));
    body.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) return fail(tooLarge(maxBytes, field));
      chunks.push(chunk);
    });
    body.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks));
    });
    res.on('error', brokeOff);
    res.on('aborted', brokeOff);
    if (decoders.length) {
      pipeline([res, ...decoders], (err) => {
        if (!err) return;
        if (err instanceof Error && 'errno' in err && (err as NodeJS.ErrnoException).code?.startsWith('Z_')) {
          fail(inputInvalid(`Invalid input: ${field} could not be decoded (Content-Encoding ${res.headers['content-encoding']}).`));
        } else brokeOff();
      });
    }
  });
}

function tooLarge(maxBytes: number, field: string): Error {
  return inputInvalid(`Invalid input: the file at ${field} is too large; the HRIS accepts files ${describeSizeLimit(maxBytes)}.`);
}

function timedOut(field: string): Error {
  return inputInvalid(`Invalid input: ${field} did not deliver the file in time; use a URL that serves the file directly.`);
}

function describeFailure(e: unknown, timed: boolean, field: string): Error {
  if (e instanceof UnsafeTargetError) return inputInvalid(`Invalid input: ${e.message}`);
  const err = e as RefusedConnection;
  if (err.code === UNSAFE_TARGET) {
    return inputInvalid(
      `Invalid input: ${field} points to a private or reserved address (${err.address ?? 'none resolved'}); only public addresses are allowed.`,
    );
  }
  if (timed || err.name === 'AbortError' || err.name === 'TimeoutError') return timedOut(field);
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return inputInvalid(`Invalid input: the host of ${field} cannot be resolved.`);
  return inputInvalid(`Invalid input: ${field} could not be downloaded (${err.code ?? 'connection failed'}).`);
}
