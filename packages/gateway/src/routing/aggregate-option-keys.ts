import { findUnknownKey, isObject, optionKeys, type UnknownKey } from '@nestmesh/common';
import type { GatewayAggregate, GatewayAggregateLeg } from '../interfaces/gateway-aggregate.interface.js';

const AGGREGATE_KEYS = optionKeys<GatewayAggregate>()({ legs: true, timeout: true });
const LEG_KEYS = optionKeys<GatewayAggregateLeg>()({ service: true, url: true, path: true, method: true, headers: true, pattern: true, data: true, timeout: true });

/**
 * @internal The first unknown key of a route's `aggregate` section or of one of its legs (`aggregate.legs.<name>.`),
 * with the closest valid key. Leg names, `headers` (any names), `pattern` and `data` (the message's) are not key-checked.
 */
export function findUnknownAggregateOption(aggregate: unknown): UnknownKey | undefined {
  let unknown = findUnknownKey(aggregate, AGGREGATE_KEYS, 'aggregate.');
  if (unknown || !isObject(aggregate) || !isObject(aggregate.legs)) return unknown;
  for (const [name, leg] of Object.entries(aggregate.legs)) unknown ??= findUnknownKey(leg, LEG_KEYS, `aggregate.legs.${name}.`);
  return unknown;
}
