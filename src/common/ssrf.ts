import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { GatewayError } from './errors';

/**
 * Outbound URLs chosen by API callers (webhook endpoints, document data_url) must not
 * reach the gateway's own network: loopback, private, link-local (cloud metadata),
 * CGNAT, multicast and reserved ranges are refused unless the operator allows them
 * (ALLOW_PRIVATE_NETWORK_TARGETS, development only). The check runs at registration
 * (assertPublicUrl) and again at every connection (safeAgent's lookup), so a DNS
 * answer that changes after registration (rebinding) is caught.
 */
const ALLOWED_RANGES = new Set(['unicast']);

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address); // unwraps ::ffff:a.b.c.d
  return ALLOWED_RANGES.has(parsed.range());
}

export class UnsafeTargetError extends GatewayError {
  constructor(message: string) {
    super('PLATFORM.INPUT_INVALID', message);
  }
}

export interface UrlPolicy {
  allowPrivate: boolean;
  /** Protocols accepted, e.g. ['https:'] for webhooks, ['http:', 'https:'] for data_url. */
  protocols: string[];
}

/** Parses and checks a URL, resolving its host; throws UnsafeTargetError with a readable reason. */
export async function assertPublicUrl(raw: string, policy: UrlPolicy, label = 'URL'): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeTargetError(`${label} is not a valid URL.`);
  }
  if (!policy.protocols.includes(url.protocol)) {
    throw new UnsafeTargetError(`${label} must use ${policy.protocols.map((p) => p.replace(':', '')).join(' or ')}.`);
  }
  if (url.username || url.password) throw new UnsafeTargetError(`${label} must not contain credentials.`);
  if (policy.allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host) ? [host] : await resolveAll(host, label);
  const bad = addresses.find((a) => !isPublicAddress(a));
  if (bad) throw new UnsafeTargetError(`${label} resolves to a private or reserved address (${bad}); only public addresses are allowed.`);
  return url;
}

async function resolveAll(host: string, label: string): Promise<string[]> {
  try {
    const found = await dns.promises.lookup(host, { all: true, verbatim: true });
    return found.map((f) => f.address);
  } catch {
    throw new UnsafeTargetError(`${label} host "${host}" cannot be resolved.`);
  }
}

/** A dns.lookup that refuses non-public answers, checked on every connection. */
export function safeLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const bad = allowPrivate ? undefined : list.find((a) => !isPublicAddress(a.address));
      if (bad) {
        const e = new UnsafeTargetError(`refused connection to private or reserved address ${bad.address}`) as unknown as NodeJS.ErrnoException;
        e.code = 'EUNSAFETARGET';
        return callback(e, '', 0);
      }
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** HTTP(S) agents whose every connection goes through safeLookup (use with axios' httpAgent/httpsAgent). */
export function safeAgents(allowPrivate: boolean): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const lookup = safeLookup(allowPrivate);
  return {
    httpAgent: new http.Agent({ lookup, keepAlive: true }),
    httpsAgent: new https.Agent({ lookup, keepAlive: true }),
  };
}
