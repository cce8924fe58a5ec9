import type { BalancedEndpoint, LoadBalancingStrategy, PickContext } from './load-balancing-strategy.interface.js';

/** Points per instance on the ring (Ketama uses 160): more points, more even shares. */
const POINTS_PER_INSTANCE = 160;
/** Distinct ids a ring can hold: a point packs as `hash × RANKS + rank`, exact in a double (2^32 × 2^21 = 2^53). */
const RANKS = 2 ** 21;

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
  /** The points of each id on the ring, kept across updates: a new id's alone are hashed. */
  private pointsById = new Map<string, Uint32Array>();
  private lastCandidates: readonly BalancedEndpoint[] | undefined;
  private byId = new Map<string, BalancedEndpoint>();

  /** Rebuilds the ring when the set of ids changed (points ordered by hash, then id); else keeps it as it is. */
  update(endpoints: readonly BalancedEndpoint[]): void {
    this.lastCandidates = undefined;
    const ids = [...new Set(endpoints.map((endpoint) => endpoint.instance.id))];
    if (ids.length === this.pointsById.size && ids.every((id) => this.pointsById.has(id))) return;
    ids.sort(); // by UTF-16 code units, as `<` compares strings
    // Each point packed as hash × RANKS + its id's rank: a plain numeric sort (no comparator) orders them by hash, then id.
    const packed = new Float64Array(ids.length * POINTS_PER_INSTANCE);
    const pointsById = new Map<string, Uint32Array>();
    ids.forEach((id, rank) => {
      const points = this.pointsById.get(id) ?? Uint32Array.from({ length: POINTS_PER_INSTANCE }, (_, i) => hash32(`${id}#${i}`));
      pointsById.set(id, points);
      for (let i = 0; i < POINTS_PER_INSTANCE; i++) packed[rank * POINTS_PER_INSTANCE + i] = points[i] * RANKS + rank;
    });
    packed.sort();
    this.pointsById = pointsById;
    this.points = new Uint32Array(packed.length);
    this.owners = new Array<string>(packed.length);
    for (let i = 0; i < packed.length; i++) {
      const rank = packed[i] % RANKS;
      this.points[i] = (packed[i] - rank) / RANKS;
      this.owners[i] = ids[rank];
    }
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
