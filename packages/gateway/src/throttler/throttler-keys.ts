import { normalizeIp } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Subjects longer than this are hashed, so a huge `sub` cannot make huge Redis keys. */
const MAX_PLAIN_SUBJECT = 128;

/**
 * Throttler tracker of a verified user: `user:<sub>`, or `undefined` when there is no usable subject (use the
 * next tracker then, e.g. the client IP). Only call it with the `sub` of a token that was verified.
 *
 * @example
 * getTracker: (req) => userTracker(req.user?.sub) ?? clientIpTracker(req.ip) ?? 'unknown'
 */
export function userTracker(sub: unknown): string | undefined {
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  return sub.length > MAX_PLAIN_SUBJECT ? `user#${sha256(sub)}` : `user:${sub}`;
}

/** Throttler tracker of an API key: `key:<sha256>` (the key never reaches Redis, logs or metrics), else `undefined`. */
export function apiKeyTracker(apiKey: unknown): string | undefined {
  if (typeof apiKey !== 'string' || apiKey.length === 0) return undefined;
  return `key:${sha256(apiKey)}`;
}

/**
 * Throttler tracker of a client address: `ip:<IPv4>`, or `ip:<IPv6 network>/<prefix>` with IPv6 addresses
 * grouped by `ipv6Prefix` bits (default 64: one subscriber usually holds a whole /64, so per-address limits
 * are trivially dodged). IPv4-mapped IPv6 (`::ffff:10.0.0.1`) counts as its IPv4. `undefined` for anything
 * that is not an IP address. Pass the client address as the edge resolved it (trusted proxies applied).
 */
export function clientIpTracker(ip: unknown, ipv6Prefix = 64): string | undefined {
  if (typeof ip !== 'string') return undefined;
  const bare = ip.split('%')[0];
  if (isIP(bare) === 0) return undefined;
  return `ip:${normalizeIp(bare, ipv6Prefix)}`;
}
