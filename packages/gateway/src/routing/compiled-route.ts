import type { RetryOptions, CircuitBreakerOptions } from '@nestmesh/resilience';
import type { AuthenticationMode } from '../auth/authenticator.js';
import type { AccessRequirement } from '../auth/authorization.js';
import type { GatewayRequestHook, GatewayResponseHook } from '../interfaces/gateway-hooks.interface.js';
import type { GatewayHeaderRules, GatewayRouteCache } from '../interfaces/gateway-route.interface.js';
import type { PathRewriter } from './path-rewrite.js';
import type { RoutePattern } from './route-pattern.js';

/** Where a route forwards to. @internal */
export type RouteTarget = { kind: 'service'; service: string; clientKey: string } | { kind: 'url'; origin: string; basePath: string; clientKey: string };

/** A throttler as applied on one route. @internal */
export interface RouteThrottler {
  readonly name: string;
  readonly limit: number;
  readonly ttl: number;
  readonly blockDuration: number;
}

/** A route checked and ready to match. @internal */
export interface CompiledRoute {
  readonly id: string;
  readonly index: number;
  readonly pattern: RoutePattern;
  readonly methods: ReadonlySet<string> | undefined;
  readonly host: ((host: string) => boolean) | undefined;
  readonly headers: ReadonlyArray<[string, (value: string | string[] | undefined) => boolean]>;
  readonly target: RouteTarget;
  readonly rewrite: PathRewriter;
  readonly requestHeaders?: GatewayHeaderRules;
  readonly responseHeaders?: GatewayHeaderRules;
  readonly onRequest?: GatewayRequestHook;
  readonly onResponse?: GatewayResponseHook;
  readonly timeout?: number;
  readonly retry?: RetryOptions | false;
  readonly circuitBreaker?: CircuitBreakerOptions;
  readonly auth: AuthenticationMode;
  /** The requirement of a method (`undefined`: none). */
  access(method: string): AccessRequirement | undefined;
  readonly throttlers: readonly RouteThrottler[];
  readonly cache: Required<GatewayRouteCache> | undefined;
  readonly maxBodySize: number;
  readonly maxResponseSize: number;
  /** WebSocket upgrades are tunneled (`websocket: true`); otherwise refused. */
  readonly websocket: boolean;
}
