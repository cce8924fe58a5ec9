import type { StrategyOption } from '../interfaces/service-client-options.interface.js';
import { invalid } from '../options/option-checks.js';
import { ConsistentHashStrategy } from './consistent-hash.strategy.js';
import { LeastRequestStrategy } from './least-request.strategy.js';
import type { LoadBalancingStrategy } from './load-balancing-strategy.interface.js';
import { P2cEwmaStrategy } from './p2c-ewma.strategy.js';
import { RandomStrategy } from './random.strategy.js';
import { RoundRobinStrategy } from './round-robin.strategy.js';
import { WeightedStrategy } from './weighted.strategy.js';

const BUILT_INS: Record<Extract<StrategyOption, string>, () => LoadBalancingStrategy> = {
  'round-robin': () => new RoundRobinStrategy(),
  random: () => new RandomStrategy(),
  weighted: () => new WeightedStrategy(),
  'least-request': () => new LeastRequestStrategy(),
  'p2c-ewma': () => new P2cEwmaStrategy(),
  'consistent-hash': () => new ConsistentHashStrategy(),
};

/**
 * @internal A fresh strategy for one balancer (a built-in, or what the user's factory makes), or the user's object,
 * after checking its shape.
 */
export function createStrategy(value: StrategyOption | undefined, where: string): LoadBalancingStrategy {
  if (value === undefined) return new P2cEwmaStrategy();
  if (typeof value === 'string' && Object.hasOwn(BUILT_INS, value)) return BUILT_INS[value]();
  const strategy = typeof value === 'function' ? value() : value;
  if (typeof strategy === 'object' && strategy !== null && typeof strategy.pick === 'function') return strategy;
  const names = Object.keys(BUILT_INS).map((name) => `'${name}'`);
  const fix = `Use one of ${names.join(', ')}, an object with a pick(candidates, context) method, or a function returning one.`;
  invalid(where, 'strategy', typeof value === 'function' ? strategy : value, typeof value === 'function' ? `The factory returned that. ${fix}` : fix);
}
