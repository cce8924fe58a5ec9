import { DiscoveryConfigurationError } from '../errors/discovery-configuration.error.js';
import { messages } from '../errors/messages.constants.js';

/** A duration: milliseconds as a number, or a Consul-style string such as `'500ms'`, `'10s'`, `'1m'`, `'1h'`. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h'}`;

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Parses a {@link Duration} to ms, or throws a {@link DiscoveryConfigurationError} naming `option`. @internal */
export function toMilliseconds(value: Duration | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
    throw new DiscoveryConfigurationError(messages.invalidDuration(option, value));
  }
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(String(value).trim());
  if (!match) throw new DiscoveryConfigurationError(messages.invalidDuration(option, value));
  return Math.round(Number(match[1]) * UNITS[match[2]]);
}

/** Formats milliseconds the way Consul's API takes durations (`'1500ms'`, `'10s'`). @internal */
export function toConsulDuration(ms: number): string {
  return ms % 1_000 === 0 ? `${ms / 1_000}s` : `${Math.round(ms)}ms`;
}
