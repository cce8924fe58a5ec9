import type { RetryOptions, CircuitBreakerOptions } from '@nestmesh/resilience';
import type { AuthenticationMode } from '../auth/authenticator.js';
import type { AccessRequirement } from '../auth/authorization.js';
import type { GatewayAggregate } from './gateway-aggregate.interface.js';
import type { GatewayRequestHook, GatewayResponseHook } from './gateway-hooks.interface.js';
import type { GatewayThrottler } from './gateway-module-options.interface.js';

/** HTTP methods a route can name. */
export type GatewayMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** How a route rewrites the path sent upstream. */
export type GatewayRewrite =
  /** Removes this leading path (whole segments) before forwarding: `{ stripPrefix: '/api' }` sends `/api/orders/1` as `/orders/1`. */
  | { stripPrefix: string }
  /** A template: `:name` is replaced by the route's parameter, `*` by the rest the wildcard matched (e.g. `'/v2/orders/:id'`). */
  | string;

/** Headers a route adds to or removes from what it forwards. */
export interface GatewayHeaderRules {
  /** Headers set (replacing any value). Default none. */
  set?: Record<string, string>;
  /** Header names removed. Default none. */
  remove?: string[];
}

/** Per-route limits of one named throttler; unset fields keep the module's value. */
export type GatewayRouteThrottle = Partial<Omit<GatewayThrottler, 'name'>>;

/** Per-route response caching (GET and HEAD only; what the upstream's `Cache-Control` allows). */
export interface GatewayRouteCache {
  /**
   * Freshness when the upstream sends no `max-age`/`s-maxage`, in ms. Never applies to a request with a credential
   * (`Authorization`, `Cookie`, the API-key header). Default `0` (such responses are not cached).
   */
  defaultTtl?: number;
  /** Longest freshness kept, whatever the upstream says, in ms. Default `300_000`. */
  maxTtl?: number;
}

/**
 * One route of the gateway. Exactly one of `path` / `prefix`, exactly one of `service` / `url` / `aggregate`.
 *
 * @example
 * { prefix: '/api/orders', service: 'orders', rewrite: { stripPrefix: '/api' }, auth: 'jwt',
 *   access: { GET: { scopes: ['orders:read'] }, '*': { scopes: ['orders:write'] } } }
 */
export interface GatewayRoute {
  /** A name for messages and logs. Default: `"<methods> <path or prefix>"`. */
  id?: string;
  /**
   * A path pattern: literal segments, `:name` parameters (one segment) and a final `*` (the rest, zero or more
   * segments). `'/api/orders'` matches only itself (and with a trailing slash); `'/api/orders/*'` everything below.
   */
  path?: string;
  /** Matches this path and everything below it (whole segments: `/api` matches `/api/x`, not `/apix`). */
  prefix?: string;
  /** Methods matched. Default: all. `HEAD` is matched by a `GET` route too. */
  methods?: GatewayMethod[];
  /** `Host` matched (without port, case-insensitive); `*.example.com` matches one or more subdomains. Default: any. */
  host?: string;
  /** Request headers that must be present (`true`), equal a string (case-sensitive), or match a RegExp. Default none. */
  headers?: Record<string, string | RegExp | true>;
  /** Discovered service to forward to, through `@nestmesh/client` (balancing, retries, breaker). */
  service?: string;
  /** Static upstream origin to forward to (`http://host:port`, optionally a base path); redirects are never followed. */
  url?: string;
  /**
   * Answer GET and HEAD with the merged JSON of several calls (an aggregation route, backend for frontend) instead
   * of forwarding the request: see {@link GatewayAggregate}. Other methods get 405. Default: none (a proxied route).
   */
  aggregate?: GatewayAggregate;
  /** Path rewriting. Default: the normalised request path as is. */
  rewrite?: GatewayRewrite;
  /** Headers changed on the request sent upstream (after the gateway's own hygiene). */
  requestHeaders?: GatewayHeaderRules;
  /** Headers changed on the response sent back. */
  responseHeaders?: GatewayHeaderRules;
  /** Runs before forwarding, with the verified identity and DI access; may change path, query and headers. */
  onRequest?: GatewayRequestHook;
  /** Runs when the upstream answered; may change status and headers, or replace the body. */
  onResponse?: GatewayResponseHook;
  /** Deadline of the whole upstream call (every attempt), in ms. Default: the client's `deadline` (10 s). */
  timeout?: number;
  /** Retries of `@nestmesh/client` for this route (service targets). Default: the service's. */
  retry?: RetryOptions | false;
  /** A circuit breaker of this route's own (service targets). Default: the service's. */
  circuitBreaker?: CircuitBreakerOptions;
  /** Authentication: `'public'`, `'jwt'`, `'api-key'` or `'any'`. Default: the module's `auth.default` (`'public'`). */
  auth?: AuthenticationMode;
  /**
   * Scopes (all) and roles (one of) the caller needs: one requirement for every method, or one per method with
   * `'*'` for the others (`{ GET: { scopes: ['orders:read'] }, '*': { scopes: ['orders:write'] } }`). Any method
   * Node parses may be named (`PURGE`, `PROPFIND`...); without `'*'`, a standard method the table does not name
   * needs only the credential, and any other method is refused with 403. Default none.
   */
  access?: AccessRequirement | Partial<Record<GatewayMethod | '*' | (string & {}), AccessRequirement>>;
  /**
   * Throttling: the module's named throttlers apply by default; here, per name, other limits or `false` to skip
   * one; `false` skips throttling on this route. Default: every module throttler as configured.
   */
  throttle?: false | Record<string, GatewayRouteThrottle | false>;
  /** Opt in to the response cache. Default `false`. */
  cache?: boolean | GatewayRouteCache;
  /** Largest request body, in bytes (413 beyond). Default: the module's `limits.maxBodySize`. */
  maxBodySize?: number;
  /** Largest upstream response body, in bytes (502 beyond). Default: the module's `limits.maxResponseSize`. */
  maxResponseSize?: number;
  /**
   * Tunnel WebSocket upgrades on this route, admitted like any request (auth, access, throttling, `onRequest`);
   * bytes flow only once the upstream answered a valid `101`. Default `false` (an upgrade gets a problem+json 400).
   */
  websocket?: boolean;
}
