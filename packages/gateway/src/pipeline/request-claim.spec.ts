import type { IncomingMessage } from 'node:http';
import { compileRoutes, type RouteCompilerContext } from '../routing/compile-routes.js';
import { RouteTable } from '../routing/route-table.js';
import { claimRequest } from './request-claim.js';

const context: RouteCompilerContext = { throttlers: [], authModes: new Set(['public']), defaultAuth: 'public', maxBodySize: 1_000, maxResponseSize: 1_000 };
const table = new RouteTable(compileRoutes([{ id: 'orders', prefix: '/api/orders', service: 'orders' }], context).routes);

/** The parts of a request the claim reads (what Node's parser hands over). */
function incoming(url: string, headers: Record<string, string> = {}, method = 'GET', extraRaw: string[] = []): IncomingMessage {
  const rawHeaders = [...Object.entries(headers).flat(), ...extraRaw];
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { method, url, rawHeaders, headers: lower } as unknown as IncomingMessage;
}

describe('claimRequest: the edge, then the route', () => {
  it('takes a request of a route: normalised path, encoded segments, the query as sent', () => {
    const claimed = claimRequest(incoming('/api//orders/./a%20b?x=1&x=2'), table, 16_384);
    expect(claimed?.match?.route.id).toBe('orders');
    expect(claimed).toMatchObject({ path: '/api/orders/a b', encodedSegments: ['api', 'orders', 'a%20b'], query: 'x=1&x=2', emptyQuery: false });
    expect(claimed?.refusal).toBeUndefined();
  });

  it('keeps a bare "?" as sent', () => {
    expect(claimRequest(incoming('/api/orders?'), table, 16_384)).toMatchObject({ query: '', emptyQuery: true });
  });

  it('leaves a request no route matches to the app', () => {
    expect(claimRequest(incoming('/health'), table, 16_384)).toBeUndefined();
  });

  it('refuses ambiguous framing with 400 and a closed connection, whatever the path', () => {
    const claimed = claimRequest(incoming('/health', { 'Content-Length': '5' }, 'POST', ['Transfer-Encoding', 'chunked']), table, 16_384);
    expect(claimed).toEqual({ refusal: { status: 400, detail: 'The request body framing is ambiguous.', close: true } });
  });

  it('refuses headers over maxHeaderSize with 431 naming the limit', () => {
    const claimed = claimRequest(incoming('/api/orders', { 'X-Big': 'a'.repeat(200) }), table, 100);
    expect(claimed).toEqual({ refusal: { status: 431, detail: 'The request headers exceed 100 bytes.', close: true } });
  });

  it('refuses an ambiguous target with 400 naming why, before any route is looked at', () => {
    const claimed = claimRequest(incoming('/api/orders%2F..%2Fadmin'), table, 16_384);
    expect(claimed?.match).toBeUndefined();
    expect(claimed?.refusal?.status).toBe(400);
    expect(claimed?.refusal?.detail).toMatch(/^The request target is ambiguous \(.+\)\.$/);
  });
});
