import { headerValues, type HeaderMap } from './header-map.js';
import { canonicalAddress, type TrustedProxies } from './trusted-proxies.js';

/** Forwarding headers a client may send: removed from every request, then set by the gateway. */
export const FORWARDING_HEADERS: readonly string[] = ['forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'x-real-ip', 'x-client-ip', 'true-client-ip', 'cf-connecting-ip', 'x-cluster-client-ip', 'fastly-client-ip'];

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** What the edge knows of one request's connection. */
export interface ForwardedInput {
  /** The TCP peer (`socket.remoteAddress`). */
  peer: string | undefined;
  /** The incoming request headers. */
  headers: HeaderMap;
  /** True when the connection to the gateway is TLS. */
  encrypted: boolean;
  trustedProxies: TrustedProxies;
}

/** Who the client is, and the forwarding headers to send upstream. */
export interface ForwardedResult {
  /** The client address: the first untrusted hop, counting from the gateway (key rate limits on this). */
  client: string | undefined;
  /** The client, then each proxy up to the peer: the upstream's `X-Forwarded-For`. */
  chain: readonly string[];
  proto: 'http' | 'https';
  host: string | undefined;
  /** `x-forwarded-for`, `x-forwarded-proto` and (when known) `x-forwarded-host`. */
  headers: Record<string, string>;
}

/** The last value of a comma-separated header: the one the nearest (trusted) proxy wrote. */
function nearest(value: HeaderMap[string]): string | undefined {
  return headerValues(value).flatMap((line) => line.split(',')).map((item) => item.trim()).filter(Boolean).at(-1);
}

/**
 * Resolves the client behind trusted proxies, walking `X-Forwarded-For` from the right: each hop is believed
 * only while the hop after it is a trusted proxy, so a spoofed value from an untrusted peer is never taken
 * as the client (an untrusted peer's forwarding headers are ignored whole). Entries left of the client are
 * dropped from the chain sent upstream; a hop that is not an IP address ends the walk.
 * `X-Forwarded-Proto`/`-Host` are taken from a trusted peer only, else from the connection and `Host`.
 *
 * @example
 * resolveForwarded({ peer: '10.0.0.2', encrypted: false, trustedProxies: TrustedProxies.parse('10.0.0.0/8'),
 *   headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.7', 'x-forwarded-proto': 'https', host: 'api.example.com' } })
 * // client '203.0.113.7', chain ['203.0.113.7', '10.0.0.2'], proto 'https'
 */
export function resolveForwarded({ peer, headers, encrypted, trustedProxies }: ForwardedInput): ForwardedResult {
  const { address: peerAddress, trusted: trustedPeer } = trustedProxies.peer(peer);
  const chain: string[] = peerAddress ? [peerAddress] : [];
  if (trustedPeer) {
    const hops = headerValues(headers['x-forwarded-for']).flatMap((line) => line.split(',')).map((item) => item.trim());
    for (let index = hops.length - 1; index >= 0; index -= 1) {
      const hop = canonicalAddress(hops[index]);
      if (!hop) break;
      chain.unshift(hop);
      if (!trustedProxies.has(hop)) break;
    }
  }
  const forwardedProto = trustedPeer ? nearest(headers['x-forwarded-proto'])?.toLowerCase() : undefined;
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : encrypted ? 'https' : 'http';
  const forwardedHost = trustedPeer ? nearest(headers['x-forwarded-host']) : undefined;
  const ownHost = typeof headers.host === 'string' ? headers.host : headerValues(headers.host)[0];
  const host = forwardedHost !== undefined && validHost(forwardedHost) ? forwardedHost : ownHost !== undefined && validHost(ownHost) ? ownHost : undefined;
  const out: Record<string, string> = { 'x-forwarded-proto': proto };
  if (chain.length > 0) out['x-forwarded-for'] = chain.length === 1 ? chain[0] : chain.join(', ');
  if (host) out['x-forwarded-host'] = host;
  return { client: chain[0], chain, proto, host, headers: out };
}

/** Hosts already checked against `HOST` (most requests repeat a few), bounded. */
const checkedHosts = new Map<string, boolean>();

function validHost(candidate: string): boolean {
  let valid = checkedHosts.get(candidate);
  if (valid === undefined) {
    valid = HOST.test(candidate);
    if (checkedHosts.size >= 256) checkedHosts.clear();
    checkedHosts.set(candidate, valid);
  }
  return valid;
}
