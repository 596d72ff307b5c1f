import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { inputInvalid } from '../common/errors';
import { isPublicAddress } from '../common/ssrf';

/**
 * Downloads a caller's `document.data_url` at once, as Kombo does. The URL is
 * chosen by the API caller, so every hop is checked against the SSRF policy:
 * only http(s), no credentials in the URL, and the address actually connected
 * to must be public (checked in the socket's DNS lookup, so a name that
 * resolves differently the second time — DNS rebinding — is still refused;
 * IP literals never reach a lookup and are checked directly). Redirects are
 * followed by hand, each hop re-checked. The body is counted while it streams
 * and the download stops as soon as it passes the size cap.
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

const UNSAFE = 'EUNSAFETARGET';

export async function fetchDataUrl(raw: string, policy: FetchPolicy, signal?: AbortSignal): Promise<FetchedFile> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const abort = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let url = parseUrl(raw, 'document.data_url');
  for (let hop = 0; ; hop++) {
    checkTarget(url, policy);
    let res: http.IncomingMessage;
    try {
      res = await get(url, policy, abort);
    } catch (e) {
      throw describeFailure(e, deadline.aborted);
    }
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hop >= policy.maxRedirects) throw inputInvalid(`Invalid input: document.data_url redirected more than ${policy.maxRedirects} times.`);
      url = parseUrl(new URL(res.headers.location, url).toString(), 'document.data_url (after a redirect)');
      continue;
    }
    if (status < 200 || status >= 300) {
      res.resume();
      throw inputInvalid(`Invalid input: document.data_url answered HTTP ${status}; it must be downloadable without authentication.`);
    }
    const declared = Number(res.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > policy.maxBytes) {
      res.destroy();
      throw tooLarge(policy.maxBytes);
    }
    const bytes = await readCapped(res, policy.maxBytes, deadline);
    const type = res.headers['content-type'];
    return { bytes, contentType: typeof type === 'string' && type.trim() ? type.trim() : null, host: url.host };
  }
}

function parseUrl(raw: string, label: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw inputInvalid(`Invalid input: ${label} is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw inputInvalid(`Invalid input: ${label} must use http or https.`);
  if (url.username || url.password) throw inputInvalid(`Invalid input: ${label} must not contain credentials.`);
  return url;
}

function allowed(address: string, policy: FetchPolicy): boolean {
  return policy.allowPrivate || (policy.isAllowedAddress ?? isPublicAddress)(address);
}

function refused(address: string): Error {
  return inputInvalid(`Invalid input: document.data_url points to a private or reserved address (${address}); only public addresses are allowed.`);
}

function checkTarget(url: URL, policy: FetchPolicy): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host) && !allowed(host, policy)) throw refused(host);
}

/** The lookup every connection uses: all answers must be allowed, else the connection is refused. */
function guardedLookup(policy: FetchPolicy): LookupFunction {
  const resolve = policy.resolve ?? (async (host: string) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address));
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => !allowed(a, policy));
        if (bad || addresses.length === 0) {
          const e = Object.assign(new Error(`refused ${bad ?? 'no address'}`), { code: UNSAFE, address: bad });
          return callback(e, '', 0);
        }
        const list = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
        if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
        callback(null, list[0].address, list[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

function get(url: URL, policy: FetchPolicy, signal: AbortSignal): Promise<http.IncomingMessage> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.get(url, { agent: false, lookup: guardedLookup(policy), signal, headers: { 'user-agent': 'hris-gateway', accept: '*/*' } }, resolve);
    req.on('error', reject);
  });
}

function readCapped(res: http.IncomingMessage, maxBytes: number, deadline: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      reject(e);
      res.destroy();
    };
    const brokeOff = () => fail(deadline.aborted ? timedOut() : inputInvalid('Invalid input: the download of document.data_url broke off.'));
    res.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) return fail(tooLarge(maxBytes));
      chunks.push(chunk);
    });
    res.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks));
    });
    res.on('error', brokeOff);
    res.on('aborted', brokeOff);
  });
}

function tooLarge(maxBytes: number): Error {
  return inputInvalid(`Invalid input: the file at document.data_url is larger than ${maxBytes / 1024 / 1024} MB, the most the HRIS accepts.`);
}

function timedOut(): Error {
  return inputInvalid('Invalid input: document.data_url did not deliver the file in time; use a URL that serves the file directly.');
}

function describeFailure(e: unknown, timed: boolean): Error {
  const err = e as NodeJS.ErrnoException & { address?: string };
  if (err.code === UNSAFE) return refused(err.address ?? 'its host');
  if (timed || err.name === 'AbortError' || err.name === 'TimeoutError') return timedOut();
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return inputInvalid('Invalid input: the host of document.data_url cannot be resolved.');
  return inputInvalid(`Invalid input: document.data_url could not be downloaded (${err.code ?? 'connection failed'}).`);
}
