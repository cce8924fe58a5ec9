import { isNumberIn, MAX_TIMER_MS } from '@nestmesh/common';
import { DiscoveryConfigurationError } from '../errors/discovery-configuration.error.js';
import { messages } from '../errors/messages.constants.js';

/** A duration: milliseconds as a number, or a Consul-style string such as `'500ms'`, `'10s'`, `'1m'`, `'1h'`; at most 2^31-1 ms. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h'}`;

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Parses a {@link Duration} to ms, or throws a {@link DiscoveryConfigurationError} naming `option`. @internal */
export function toMilliseconds(value: Duration | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const match = typeof value === 'number' ? undefined : /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(String(value).trim());
  const ms = typeof value === 'number' ? value : match ? Math.round(Number(match[1]) * UNITS[match[2]]) : NaN;
  // Every duration ends up in a Node timer (or beside one), and Node fires a longer timer after 1 ms.
  if (!isNumberIn(ms, { min: 0, max: MAX_TIMER_MS })) throw new DiscoveryConfigurationError(messages.invalidDuration(option, value));
  return ms;
}

/** Formats milliseconds the way Consul's API takes durations (`'1500ms'`, `'10s'`). @internal */
export function toConsulDuration(ms: number): string {
  return ms % 1_000 === 0 ? `${ms / 1_000}s` : `${Math.round(ms)}ms`;
}
