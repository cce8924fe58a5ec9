import { BlockList, isIP } from 'node:net';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';

/** Named ranges accepted in a trusted-proxies list (as in Express' `trust proxy`). */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * An address as compared: the zone (`%eth0`) dropped, IPv4-mapped IPv6 (`::ffff:10.0.0.1`) as IPv4;
 * `undefined` when it is not an IP address.
 */
export function canonicalAddress(address: string | undefined): string | undefined {
  if (typeof address !== 'string') return undefined;
  const bare = address.trim().split('%')[0];
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  const candidate = mapped ? mapped[1] : bare;
  return isIP(candidate) ? candidate.toLowerCase() : undefined;
}

/** A connection's peer: its canonical address (none when not an IP address) and whether it is a trusted proxy. */
export interface TrustedPeer {
  readonly address: string | undefined;
  readonly trusted: boolean;
}

const UNKNOWN_PEER: TrustedPeer = Object.freeze({ address: undefined, trusted: false });

/** How many answers of `TrustedProxies.peer()` are remembered. */
const CHECKED_ADDRESSES = 1_024;

/**
 * The proxies whose forwarding headers are believed: addresses and CIDR ranges (IPv4 and IPv6), or the names
 * `loopback`, `linklocal`, `uniquelocal`. Empty by default: then no forwarding header is ever believed.
 *
 * @example
 * const trusted = TrustedProxies.parse(process.env.TRUSTED_PROXIES); // "10.0.0.0/8, 2001:db8::/32, loopback"
 * trusted.has('10.1.2.3'); // true
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  /** Answers of `peer()` (and so of `has()`) per address as given. */
  private readonly peers = new Map<string, TrustedPeer>();

  private constructor(readonly entries: readonly string[]) {
    for (const entry of entries) this.add(entry);
  }

  /** From a comma-separated string (an environment variable) or a list; `undefined` or `''` trusts none. */
  static parse(input: string | readonly string[] | undefined): TrustedProxies {
    const entries = (typeof input === 'string' ? input.split(',') : (input ?? [])).map((entry) => String(entry).trim()).filter(Boolean);
    return new TrustedProxies(entries.flatMap((entry) => NAMED_RANGES[entry.toLowerCase()] ?? [entry]));
  }

  /**
   * A connection's peer as the gateway sees it: its canonical address and whether it is trusted, remembered per
   * address (a keep-alive connection asks for every request; at most 1,024 answers are kept).
   */
  peer(address: string | undefined): TrustedPeer {
    if (address === undefined) return UNKNOWN_PEER;
    let peer = this.peers.get(address);
    if (peer === undefined) {
      // BlockList.check() builds a SocketAddress per call (about 2% of the bare route's CPU, profiled): an empty
      // list answers at once, and answers are remembered; a flood of distinct addresses only costs its checks.
      const canonical = canonicalAddress(address);
      const trusted = canonical !== undefined && this.entries.length > 0 && this.list.check(canonical, isIP(canonical) === 6 ? 'ipv6' : 'ipv4');
      peer = { address: canonical, trusted };
      if (this.peers.size >= CHECKED_ADDRESSES) this.peers.clear();
      this.peers.set(address, peer);
    }
    return peer;
  }

  /** True when `address` is one of the trusted proxies. */
  has(address: string | undefined): boolean {
    return this.peer(address).trusted;
  }

  private add(entry: string): void {
    const [address, prefix, extra] = entry.split('/');
    const canonical = canonicalAddress(address);
    const family = canonical && isIP(canonical) === 6 ? 'ipv6' : 'ipv4';
    const bits = prefix === undefined ? undefined : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    if (!canonical || extra !== undefined || (bits !== undefined && !(bits >= 0 && bits <= (family === 'ipv6' ? 128 : 32)))) {
      throw new GatewayConfigurationError(messages.invalidTrustedProxy(entry));
    }
    if (bits === undefined) this.list.addAddress(canonical, family);
    else this.list.addSubnet(canonical, bits, family);
  }
}
