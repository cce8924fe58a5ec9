import type { BalancedEndpoint, LoadBalancingStrategy, PickContext } from './load-balancing-strategy.interface.js';

/** Points per instance on the ring (Ketama uses 160): more points, more even shares. */
const POINTS_PER_INSTANCE = 160;

/** 32-bit FNV-1a of a string, finished with murmur3's avalanche so nearby strings spread over the ring. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A hash ring over instance IDs: a request's `key` goes to the first instance clockwise from its hash, so a
 * key stays on its instance, and when an instance joins or leaves only about 1/N of the keys move. An ejected
 * (or already tried) instance's keys go to the next instance on the ring. Requests without a `key` go to a
 * random candidate.
 */
export class ConsistentHashStrategy implements LoadBalancingStrategy {
  private points = new Uint32Array(0);
  private owners: string[] = [];
  private size = 0;
  private lastCandidates: readonly BalancedEndpoint[] | undefined;
  private byId = new Map<string, BalancedEndpoint>();

  update(endpoints: readonly BalancedEndpoint[]): void {
    const ring: Array<[number, string]> = [];
    for (const { instance } of endpoints) {
      for (let i = 0; i < POINTS_PER_INSTANCE; i++) ring.push([hash32(`${instance.id}#${i}`), instance.id]);
    }
    ring.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
    this.points = Uint32Array.from(ring, ([point]) => point);
    this.owners = ring.map(([, id]) => id);
    this.size = endpoints.length;
    this.lastCandidates = undefined;
  }

  pick(candidates: readonly BalancedEndpoint[], context: PickContext): BalancedEndpoint {
    if (context.key === undefined || this.points.length === 0) return candidates[Math.floor(Math.random() * candidates.length)];
    if (candidates !== this.lastCandidates) {
      this.byId = new Map(candidates.map((endpoint) => [endpoint.instance.id, endpoint]));
      this.lastCandidates = candidates;
    }
    const start = this.search(hash32(context.key));
    for (let step = 0; step < this.owners.length; step++) {
      const endpoint = this.byId.get(this.owners[(start + step) % this.owners.length]);
      if (endpoint) return endpoint;
    }
    // Candidates the ring does not know yet (update() not called by a custom caller): fall back to hashing them.
    return candidates[hash32(context.key) % candidates.length] ?? candidates[0];
  }

  /** Index of the first point >= hash (wrapping to 0). */
  private search(hash: number): number {
    let low = 0;
    let high = this.points.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.points[mid] < hash) low = mid + 1;
      else high = mid;
    }
    return low === this.points.length ? 0 : low;
  }
}
