import type { BalancedEndpoint, LoadBalancingStrategy } from './load-balancing-strategy.interface.js';

/** Each request to the next candidate in turn: with a stable set, every instance gets exactly its share. */
export class RoundRobinStrategy implements LoadBalancingStrategy {
  private turn = 0;

  pick(candidates: readonly BalancedEndpoint[]): BalancedEndpoint {
    const index = this.turn++ % candidates.length;
    if (this.turn >= Number.MAX_SAFE_INTEGER) this.turn = 0;
    return candidates[index];
  }
}
