import { RedisThrottlerStorage, type GatewayModuleOptions } from '@nestmesh/gateway';
import type { DemoGatewayConfig } from './demo-config.js';
import { DEMO_JWKS } from './demo-key.js';

/**
 * The demo's gateway: `/api/orders` and everything below it go to the discovered `orders` service, rewritten
 * to `/orders...`; a JWT is required (GET needs `orders:read`, writes need `orders:write`, from `scope` or
 * `scp`); each user gets RATE_LIMIT requests per RATE_WINDOW_MS. `GET /api/dashboard` (scope `orders:read`) is an
 * aggregation route: the orders list over REST and `orders.stats` over TCP, called in parallel, merged into one answer.
 */
export function demoGatewayOptions(config: DemoGatewayConfig): GatewayModuleOptions {
  return {
    routes: [
      {
        id: 'orders',
        prefix: '/api/orders',
        service: 'orders',
        rewrite: { stripPrefix: '/api' },
        auth: 'jwt',
        access: { GET: { scopes: ['orders:read'] }, POST: { scopes: ['orders:write'] }, PUT: { scopes: ['orders:write'] }, PATCH: { scopes: ['orders:write'] }, DELETE: { scopes: ['orders:write'] } },
      },
      {
        id: 'dashboard',
        path: '/api/dashboard',
        auth: 'jwt',
        access: { scopes: ['orders:read'] },
        aggregate: {
          timeout: 2_000,
          legs: {
            orders: { service: 'orders', path: '/orders' },
            stats: { service: 'orders', pattern: 'orders.stats' },
          },
        },
      },
    ],
    auth: {
      jwt: config.jwksUrl
        ? { jwksUrl: config.jwksUrl, issuer: config.issuer, audience: config.audience }
        : { jwks: DEMO_JWKS, issuer: config.issuer, audience: config.audience },
    },
    throttlers: [{ name: 'per-user', limit: config.rateLimit, ttl: config.rateWindowMs }],
    throttlerStorage: config.redisUrl ? new RedisThrottlerStorage({ redis: config.redisUrl, failureMode: 'open' }) : undefined,
    trustedProxies: config.trustedProxies,
    clientDefaults: { deadline: 5_000 },
  };
}
