import { connectionNamedHeaders, isHopByHopHeader, stripHopByHopHeaders } from '../edge/hop-by-hop-headers.js';
import type { GatewayHeaderRules } from '../interfaces/gateway-route.interface.js';
import { applyHeaderRules } from './header-rules.js';

/**
 * Refuses an answer framed with a transfer coding other than a lone `chunked` (`gzip, chunked`): undici undoes only
 * the chunks, and the client, sent them re-chunked without the coding, would take gzip bytes for the body (a 502).
 */
function assertRelayableCoding(value: string | string[] | undefined): void {
  if (value !== undefined && String(value).trim().toLowerCase() !== 'chunked') throw new Error(`the upstream answer's Transfer-Encoding ${JSON.stringify(String(value))} cannot be relayed`);
}

/** The upstream's response headers as sent back: hop-by-hop ones dropped, then the route's rules. @internal */
export function returnedResponseHeaders(upstream: Record<string, string | string[] | undefined>, rules: GatewayHeaderRules | undefined): Record<string, string | string[]> {
  assertRelayableCoding(upstream['transfer-encoding']);
  // A copy without undefined values.
  const headers = stripHopByHopHeaders(upstream) as Record<string, string | string[]>;
  applyHeaderRules(headers, rules);
  return headers;
}

/**
 * What {@link returnedResponseHeaders} makes with `own` set last, in one pass over an answer's raw header pairs,
 * as the flat list `writeHead()` takes; `length` is the `Content-Length` sent back, if any. A `bodiless` answer
 * gets none: a 204 must not carry one (RFC 9110 §8.6), and on a 304 it would be the length of a body not sent,
 * which clients such as undici take for a truncated answer. @internal
 */
export function relayedResponseHeaders(
  raw: readonly Buffer[],
  rules: GatewayHeaderRules | undefined,
  own: Record<string, string | number>,
  bodiless = false,
): { headers: string[]; length: number | undefined } {
  const names = new Array<string>(raw.length / 2);
  let connection: string[] | undefined;
  for (let index = 0; index < names.length; index += 1) {
    names[index] = raw[2 * index].toString('latin1').toLowerCase();
    if (names[index] === 'connection') (connection ??= []).push(raw[2 * index + 1].toString('latin1'));
    else if (names[index] === 'transfer-encoding') assertRelayableCoding(raw[2 * index + 1].toString('latin1'));
  }
  const named = connection === undefined ? undefined : connectionNamedHeaders(connection);
  const replaced = rules ? new Set([...(rules.remove ?? []), ...Object.keys(rules.set ?? {})].map((name) => name.toLowerCase())) : undefined;
  const headers: string[] = [];
  let length: string | undefined;
  for (let index = 0; index < names.length; index += 1) {
    const name = names[index];
    if (isHopByHopHeader(name) || named?.has(name) === true || replaced?.has(name) === true || Object.hasOwn(own, name) || name === '__proto__') continue;
    if (bodiless && name === 'content-length') continue;
    const value = raw[2 * index + 1].toString('latin1');
    if (name === 'content-length') length = value;
    headers.push(name, value);
  }
  if (rules?.set !== undefined) {
    for (const [name, value] of Object.entries(rules.set)) {
      const lower = name.toLowerCase();
      if (Object.hasOwn(own, lower) || (bodiless && lower === 'content-length')) continue;
      if (lower === 'content-length') length = value;
      headers.push(lower, value);
    }
  }
  for (const name in own) headers.push(name, String(own[name]));
  return { headers, length: length === undefined ? undefined : Number(length) };
}
