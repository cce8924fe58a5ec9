import type { LoadBalancingStrategyName } from '../interfaces/service-client-options.interface.js';
import { invalid } from '../options/option-checks.js';
import { ConsistentHashStrategy } from './consistent-hash.strategy.js';
import { LeastRequestStrategy } from './least-request.strategy.js';
import type { LoadBalancingStrategy } from './load-balancing-strategy.interface.js';
import { P2cEwmaStrategy } from './p2c-ewma.strategy.js';
import { RandomStrategy } from './random.strategy.js';
import { RoundRobinStrategy } from './round-robin.strategy.js';
import { WeightedStrategy } from './weighted.strategy.js';

const BUILT_INS: Record<LoadBalancingStrategyName, () => LoadBalancingStrategy> = {
  'round-robin': () => new RoundRobinStrategy(),
  random: () => new RandomStrategy(),
  weighted: () => new WeightedStrategy(),
  'least-request': () => new LeastRequestStrategy(),
  'p2c-ewma': () => new P2cEwmaStrategy(),
  'consistent-hash': () => new ConsistentHashStrategy(),
};

/** @internal A fresh built-in strategy for one service, or the user's object after checking its shape. */
export function createStrategy(value: LoadBalancingStrategyName | LoadBalancingStrategy | undefined, where: string): LoadBalancingStrategy {
  if (value === undefined) return new P2cEwmaStrategy();
  if (typeof value === 'string' && Object.hasOwn(BUILT_INS, value)) return BUILT_INS[value]();
  if (typeof value === 'object' && value !== null && typeof value.pick === 'function') return value;
  const names = Object.keys(BUILT_INS).map((name) => `'${name}'`);
  invalid(where, 'strategy', value, `Use one of ${names.join(', ')}, or an object with a pick(candidates, context) method.`);
}
