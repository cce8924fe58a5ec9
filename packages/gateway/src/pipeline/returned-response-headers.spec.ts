import { parseRawHeaders } from '@nestmesh/client/relay';
import type { GatewayHeaderRules } from '../interfaces/gateway-route.interface.js';
import { relayedResponseHeaders, returnedResponseHeaders } from './returned-response-headers.js';

const raw = (...pairs: string[]) => pairs.map((item) => Buffer.from(item, 'latin1'));

/** The flat list as the object writeHead() would get for it (repeated names as arrays, in order). */
function asObject(flat: string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let index = 0; index < flat.length; index += 2) {
    const [name, value] = [flat[index], flat[index + 1]];
    const previous = Object.hasOwn(headers, name) ? headers[name] : undefined;
    headers[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return headers;
}

const cases: Array<[string, Buffer[], GatewayHeaderRules | undefined, Record<string, string | number>]> = [
  ['plain headers, names as the upstream spelled them', raw('Content-Type', 'text/plain', 'Content-Length', '5', 'X-Thing', 'a'), undefined, { 'x-request-id': 'r1' }],
  ['hop-by-hop headers and the names Connection lists', raw('Connection', 'keep-alive, X-Secret, close', 'Keep-Alive', 'timeout=5', 'x-secret', 's', 'Transfer-Encoding', 'chunked', 'Upgrade', 'h2c', 'TE', 'trailers', 'Trailer', 'x', 'Proxy-Authenticate', 'Basic', 'x-kept', 'k'), undefined, { 'x-request-id': 'r1' }],
  ['repeated Set-Cookie, in order', raw('Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'SET-COOKIE', 'c=3'), undefined, {}],
  ['the route rules: removed, set over the upstream, set new', raw('Server', 'upstream/1.0', 'X-Powered-By', 'php', 'Cache-Control', 'no-cache'), { remove: ['Server', 'x-powered-by'], set: { 'Cache-Control': 'max-age=60', 'X-Frame-Options': 'DENY' } }, { 'x-request-id': 'r2' }],
  ['the gateway own headers over the upstream and over the rules', raw('X-Request-Id', 'spoofed', 'x-ratelimit-remaining', '999'), { set: { 'x-request-id': 'from-rules' } }, { 'x-request-id': 'r3', 'x-ratelimit-remaining': 4 }],
  ['__proto__ and names of Object.prototype', raw('__proto__', 'x', 'constructor', 'c', 'toString', 't'), undefined, {}],
];

describe('relayedResponseHeaders', () => {
  it.each(cases)('sends back what returnedResponseHeaders() and the own headers give: %s', (_case, headers, rules, own) => {
    const expected: Record<string, string | string[]> = returnedResponseHeaders(parseRawHeaders(headers), rules);
    for (const [name, value] of Object.entries(own)) expected[name] = String(value);
    expect(asObject(relayedResponseHeaders(headers, rules, own).headers)).toEqual(expected);
  });

  it('reports the Content-Length sent back (the rules may set it), none without one', () => {
    expect(relayedResponseHeaders(raw('Content-Length', '1234'), undefined, {}).length).toBe(1234);
    expect(relayedResponseHeaders(raw('Content-Length', '1234'), { set: { 'content-length': '10' } }, {}).length).toBe(10);
    expect(relayedResponseHeaders(raw('x-a', 'b'), undefined, {}).length).toBeUndefined();
  });

  it("sends no Content-Length back for a bodiless answer, the upstream's or the rules'", () => {
    const own = { 'x-request-id': 'r4' };
    const upstream = relayedResponseHeaders(raw('Content-Length', '1234', 'ETag', '"v1"'), undefined, own, true);
    expect(upstream).toEqual({ headers: ['etag', '"v1"', 'x-request-id', 'r4'], length: undefined });
    const ruled = relayedResponseHeaders(raw('ETag', '"v1"'), { set: { 'Content-Length': '10' } }, {}, true);
    expect(ruled).toEqual({ headers: ['etag', '"v1"'], length: undefined });
  });
});
