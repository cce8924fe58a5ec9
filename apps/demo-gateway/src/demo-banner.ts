import type { EmbeddedOrders } from './embedded-orders.js';

/** What {@link demoBanner} prints. */
export interface DemoBannerInput {
  /** The gateway's URL, e.g. `http://127.0.0.1:3000`. */
  gateway: string;
  /** The embedded orders instances (none when EMBEDDED_ORDERS=false). */
  orders: readonly EmbeddedOrders[];
  /** Where services register, e.g. `the in-memory registry of this process` or `Consul at 127.0.0.1:8500`. */
  registry: string;
  /** A demo token with both scopes, or `undefined` when JWT_JWKS_URL is set (tokens then come from the identity provider). */
  token: string | undefined;
}

/**
 * The text the demo prints once everything listens: the URLs, a token and ready-to-paste curl commands (each a
 * single line, the token inline, so it works in any shell). Its last line is `Ctrl-C stops the demo.`.
 */
export function demoBanner({ gateway, orders, registry, token }: DemoBannerInput): string {
  const auth = `-H 'authorization: Bearer ${token ?? '$TOKEN'}'`;
  const json = `-H 'content-type: application/json'`;
  const lines = [
    '',
    `nestmesh demo is up (services register in ${registry}):`,
    `  gateway     ${gateway}`,
    ...orders.map((one, index) => `  orders #${index + 1}   ${one.url} (REST), TCP port ${one.tcpPort} (orders.get, orders.stats)`),
    '',
    token
      ? 'A demo token with the scopes orders:read orders:write, valid 1 h (another one: npm run demo:token):'
      : 'JWT_JWKS_URL is set: put a token of your identity provider in TOKEN (export TOKEN=...) for these commands:',
    ...(token ? [`  TOKEN=${token}`] : []),
    '',
    'Try (each line is ready to paste):',
    `  curl -s -X POST ${gateway}/api/orders ${auth} ${json} -d '{"item":"book","quantity":2}'`,
    `  curl -s ${gateway}/api/orders ${auth}`,
    `  curl -s ${gateway}/api/orders/1 ${auth}`,
    `  curl -s ${gateway}/api/dashboard ${auth}    # orders and their stats (REST + TCP), needs the scope orders:read`,
    `  curl -s ${gateway}/services/orders    # the instances discovery knows`,
    `  curl -i ${gateway}/api/orders    # 401 without a token`,
    ...(token ? [`  more: curl '${gateway}/demo/token?scope=orders:read&sub=alice'    # more tokens (another user, other scopes)`] : []),
    '',
    'Ctrl-C stops the demo.',
    '',
  ];
  return lines.join('\n');
}
