import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import ipaddr from 'ipaddr.js';
import { GatewayError } from './errors';

/**
 * The outbound-request guard. URLs chosen by API callers (webhook endpoints, document
 * data_url) must not reach the gateway's own network: every request to such a URL goes
 * through an OutboundGuard, which checks
 *  - the URL before each request: scheme, no credentials, and the address when the host
 *    is an IP literal (a literal never reaches a DNS lookup, so the lookup hook alone
 *    would let `https://127.0.0.1` through);
 *  - every address a connection resolves to (the lookup hook), so a name that starts
 *    resolving to a private address after registration (DNS rebinding) is refused.
 * Only globally reachable unicast is allowed unless the operator allows private targets
 * (ALLOW_PRIVATE_NETWORK_TARGETS, development only).
 */

/** IPv6 global unicast is 2000::/3; inside it these are not globally reachable (IANA special-purpose registry). */
const IPV6_NOT_GLOBAL = ['2001::/23', '2001:db8::/32', '2002::/16', '3fff::/20', '2620:4f:8000::/48'].map((c) => ipaddr.parseCIDR(c));
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');
/** NAT64 well-known prefix: the IPv4 address in its last 32 bits is what is really reached. */
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address); // unwraps ::ffff:a.b.c.d
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  if (v6.match(NAT64)) return isPublicAddress(ipaddr.fromByteArray(v6.toByteArray().slice(12)).toString());
  // Everything outside 2000::/3 is non-global, including ::/96 (IPv4-compatible, `::7f00:1`),
  // which ipaddr.js files under "unicast".
  if (!v6.match(IPV6_GLOBAL_UNICAST) || IPV6_NOT_GLOBAL.some((r) => v6.match(r))) return false;
  return v6.range() === 'unicast';
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
  /** Which addresses may be connected to; default: isPublicAddress. Tests widen it (the internet is out of reach). */
  isAllowedAddress?: (address: string) => boolean;
  /** Name resolution; injectable so rebinding and redirect rules can be tested without the internet. */
  resolve?: (host: string) => Promise<string[]>;
}

/** Error code a refused connection carries, so callers can tell it from a network failure. */
export const UNSAFE_TARGET = 'EUNSAFETARGET';

/** A refused connection: `address` is the refused answer (for the caller's message). */
export type RefusedConnection = NodeJS.ErrnoException & { address?: string };

const systemResolve = async (host: string) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The one guard for outbound requests to caller-chosen URLs; see the file comment. */
export class OutboundGuard {
  private readonly allowed: (address: string) => boolean;
  private readonly resolve: (host: string) => Promise<string[]>;

  constructor(readonly policy: UrlPolicy) {
    const isAllowed = policy.isAllowedAddress ?? isPublicAddress;
    this.allowed = (a) => policy.allowPrivate || isAllowed(a);
    this.resolve = policy.resolve ?? systemResolve;
  }

  /** Parses and checks a URL without the network; throws UnsafeTargetError with a readable reason. */
  checkUrl(raw: string | URL, label = 'URL'): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new UnsafeTargetError(`${label} is not a valid URL.`);
    }
    const protocols = this.policy.protocols;
    if (!protocols.includes(url.protocol)) throw new UnsafeTargetError(`${label} must use ${protocols.map((p) => p.replace(':', '')).join(' or ')}.`);
    if (url.username || url.password) throw new UnsafeTargetError(`${label} must not contain credentials.`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (ipaddr.isValid(host) && !this.allowed(host)) throw refusedAddress(label, host);
    return url;
  }

  /** checkUrl plus a resolution of the host name (registration time); the lookup re-checks at every connection. */
  async checkUrlResolving(raw: string, label = 'URL'): Promise<URL> {
    const url = this.checkUrl(raw, label);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (this.policy.allowPrivate || ipaddr.isValid(host)) return url;
    let addresses: string[];
    try {
      addresses = await this.resolve(host);
    } catch {
      throw new UnsafeTargetError(`${label} host "${host}" cannot be resolved.`);
    }
    const bad = addresses.find((a) => !this.allowed(a));
    if (bad) throw refusedAddress(label, bad);
    return url;
  }

  /** A dns.lookup for sockets: every answer must be allowed, else the connection fails with code EUNSAFETARGET. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => !this.allowed(a));
        if (bad || addresses.length === 0) {
          const e: RefusedConnection = Object.assign(new Error(`refused connection to private or reserved address ${bad ?? '(none resolved)'}`), {
            code: UNSAFE_TARGET,
            address: bad,
          });
          return callback(e, '', 0);
        }
        const list = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
        if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
        callback(null, list[0].address, list[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };

  /**
   * An axios instance whose every request is checked (checkUrl on the final URL) and whose
   * every connection goes through the lookup. Redirects are never followed (a hop would
   * skip checkUrl); no proxy (it would do the resolving).
   */
  axios(config: CreateAxiosDefaults = {}): AxiosInstance {
    const instance = axios.create({
      ...config,
      httpAgent: new http.Agent({ lookup: this.lookup, keepAlive: true }),
      httpsAgent: new https.Agent({ lookup: this.lookup, keepAlive: true }),
      maxRedirects: 0,
      proxy: false,
    });
    instance.interceptors.request.use((req) => {
      this.checkUrl(instance.getUri(req));
      return req;
    });
    return instance;
  }

  /** One GET with node's http(s) (streamed bodies): the URL is checked, the connection looked up through the guard. */
  get(raw: string | URL, opts: { signal: AbortSignal; headers?: Record<string, string>; label?: string }): Promise<http.IncomingMessage> {
    const url = this.checkUrl(raw, opts.label);
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.get(url, { agent: false, lookup: this.lookup, signal: opts.signal, headers: opts.headers }, resolve);
      req.on('error', reject);
    });
  }
}

function refusedAddress(label: string, address: string): UnsafeTargetError {
  return new UnsafeTargetError(`${label} points to a private or reserved address (${address}); only public addresses are allowed.`);
}

/** Registration-time check of a caller's URL (scheme, credentials, every resolved address). */
export async function assertPublicUrl(raw: string, policy: UrlPolicy, label = 'URL'): Promise<URL> {
  return new OutboundGuard(policy).checkUrlResolving(raw, label);
}
