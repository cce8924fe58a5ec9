import type { BalancedEndpoint, LoadBalancingStrategy } from './load-balancing-strategy.interface.js';

/**
 * Smooth weighted round robin (nginx's): shares follow Consul's `Weights.Passing` exactly over each cycle of
 * `sum(weights)` requests, and a heavy instance's turns are spread out rather than bunched.
 */
export class WeightedStrategy implements LoadBalancingStrategy {
  private current = new Map<string, number>();

  update(endpoints: readonly BalancedEndpoint[]): void {
    const ids = new Set(endpoints.map((endpoint) => endpoint.instance.id));
    for (const id of this.current.keys()) if (!ids.has(id)) this.current.delete(id);
  }

  pick(candidates: readonly BalancedEndpoint[]): BalancedEndpoint {
    let total = 0;
    let best = candidates[0];
    let bestValue = -Infinity;
    for (const endpoint of candidates) {
      const value = (this.current.get(endpoint.instance.id) ?? 0) + endpoint.weight;
      this.current.set(endpoint.instance.id, value);
      total += endpoint.weight;
      if (value > bestValue) {
        bestValue = value;
        best = endpoint;
      }
    }
    this.current.set(best.instance.id, bestValue - total);
    return best;
  }
}
