import type { ServiceClientOptions } from '@nestmesh/client';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import type { ApiKeyDefinition } from '../auth/api-key.verifier.js';
import type { AuthenticationMode } from '../auth/authenticator.js';
import type { JwtVerifier } from '../auth/jwt-verifier.js';
import type { JwtVerifierOptions } from '../auth/jwt-verifier.options.js';
import type { GatewayRoute } from './gateway-route.interface.js';

/** One named throttler of the gateway (burst, sustained...), as in `@nestjs/throttler`. */
export interface GatewayThrottler {
  /** Default `'default'`. */
  name?: string;
  /** Requests allowed per window per tracker. */
  limit: number;
  /** Window, in ms. */
  ttl: number;
  /** How long a tracker over its limit stays blocked, in ms. Default: `ttl`. */
  blockDuration?: number;
}

/**
 * Rate limit of refused credentials (a 401; a request without any credential is not counted) per client address
 * (`trustedProxies` applied, IPv6 by /64), counted across routes in `throttlerStorage`. Beyond `limit`, requests of
 * that address that carry a credential get 429 for `blockDuration`, before it is looked at (see the README).
 *
 * @example
 * GatewayModule.forRoot({ routes, auth: { apiKeys, failureLimit: { limit: 10, ttl: 60_000, blockDuration: 300_000 } } })
 */
export interface GatewayAuthFailureLimit {
  /** Refused credentials allowed per client address within `ttl`; one more blocks the address. Default `20`. */
  limit?: number;
  /** Window in which failures count, in ms (each failure counts for `ttl` after it happened). Default `60_000`. */
  ttl?: number;
  /** How long a blocked address is answered 429, in ms. Default: `ttl`. */
  blockDuration?: number;
}

/** Authentication of the gateway's routes. */
export interface GatewayAuthOptions {
  /** Bearer JWTs: a `JwtVerifier` or its options. Default: none (routes cannot use `'jwt'`). */
  jwt?: JwtVerifier | JwtVerifierOptions;
  /** API keys, stored as hashes (`hashApiKey(key)`). Default: none (routes cannot use `'api-key'`). */
  apiKeys?: ApiKeyDefinition[];
  /** Header carrying API keys. Default `'x-api-key'`. */
  apiKeyHeader?: string;
  /** Mode of routes that do not set `auth`. Default `'public'`. */
  default?: AuthenticationMode;
  /** Realm of `WWW-Authenticate` challenges. Default `'api'`. */
  realm?: string;
  /**
   * Rate limit of refused credentials per client address: {@link GatewayAuthFailureLimit}. Default
   * `{ limit: 20, ttl: 60_000 }` (blocked for `ttl`). `false` turns it off (not recommended: every wrong
   * credential then costs a verification and gets an answer that tells a guess apart).
   */
  failureLimit?: GatewayAuthFailureLimit | false;
}

/** Limits protecting the gateway itself. */
export interface GatewayLimits {
  /** Largest request body in bytes; a larger one gets 413. Default `10_485_760` (10 MiB). */
  maxBodySize?: number;
  /** Largest upstream response body in bytes; a larger one gets 502 (or a cut connection once streaming). Default `1_073_741_824` (1 GiB). */
  maxResponseSize?: number;
  /**
   * Largest request header section in bytes; beyond, 431. Default `16_384` (Node's own limit). A larger value raises
   * the `maxHeaderSize` of the app's HTTP server; a server without that setting fails the bootstrap.
   */
  maxHeaderSize?: number;
  /**
   * Time a client has to send its whole header section, in ms (slowloris), enforced within at most 10% more.
   * From 1 to 2147483647 (`0` is refused, never read as "off"). Default `10_000`.
   */
  headersTimeout?: number;
  /** Longest silence while a request body is received, in ms; then 408. From 1 to 2147483647. Default `30_000`. */
  bodyTimeout?: number;
}

/** Response cache storage. */
export interface GatewayCacheOptions {
  /** In-memory LRU bound, in bytes (bodies and headers). Default `67_108_864` (64 MiB). Ignored with `redis`. */
  maxBytes?: number;
  /** Largest single response cached, in bytes. Default `1_048_576` (1 MiB). */
  maxEntryBytes?: number;
  /** Variants kept per URL whose answers vary (`Vary`); storing one more drops the oldest. Default `8`. */
  maxVariants?: number;
  /** Store entries in Redis (a URL or an ioredis client you own) instead of memory. Default: memory. */
  redis?: string | Redis;
  /** Longest wait for Redis, in ms; a slower answer is a miss (never an error). Default `250`. */
  timeout?: number;
  /** Prefix of Redis keys. Default `'nestmesh:cache:'`. */
  keyPrefix?: string;
}

/**
 * Options of `GatewayModule.forRoot()` / `forRootAsync()`.
 *
 * @example
 * GatewayModule.forRoot({
 *   routes: [{ prefix: '/api/orders', service: 'orders', rewrite: { stripPrefix: '/api' }, auth: 'jwt' }],
 *   auth: { jwt: { jwksUrl: 'https://idp.example.com/.well-known/jwks.json', audience: 'orders-api' } },
 *   throttlers: [{ name: 'burst', limit: 20, ttl: 1_000 }],
 * })
 */
export interface GatewayModuleOptions {
  /** The routes, matched most specific first (see the README). Required. */
  routes: GatewayRoute[];
  /** Client options of each discovered service (`@nestmesh/client`'s `ServiceClientOptions`). Default none. */
  services?: Record<string, ServiceClientOptions>;
  /** Client options under every service's own. Default `{}` (the client's defaults). */
  clientDefaults?: ServiceClientOptions;
  /** Authentication. Default: none (every route public). */
  auth?: GatewayAuthOptions;
  /** Named throttlers applied to every route unless the route says otherwise. Default none. */
  throttlers?: GatewayThrottler[];
  /**
   * Where throttler counters live, the route throttlers' and `auth.failureLimit`'s: a `RedisThrottlerStorage`
   * for many instances. Default: a `MemoryThrottlerStorage` (this process).
   */
  throttlerStorage?: ThrottlerStorage;
  /** Proxies whose `X-Forwarded-*` are believed: addresses, CIDRs, `loopback`... Default none (trust nobody). */
  trustedProxies?: string | string[];
  /** Extra client-sent headers to remove as identity headers. Default none (the built-in list only). */
  identityHeaders?: string[];
  /** Keep a client's safe `X-Request-Id` (else always generate one). Default `true`. */
  trustRequestId?: boolean;
  /** Limits (body, response, headers, timeouts). */
  limits?: GatewayLimits;
  /** Response cache storage, for routes with `cache` on. Default: an in-memory LRU of 64 MiB. */
  cache?: GatewayCacheOptions;
}
