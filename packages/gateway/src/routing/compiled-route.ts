import type { AuthenticationMode } from '../auth/authenticator.js';
import type { AccessRequirement } from '../auth/authorization.js';
import type { GatewayThrottler } from '../interfaces/gateway-module-options.interface.js';
import type { GatewayRoute, GatewayRouteCache } from '../interfaces/gateway-route.interface.js';
import type { PathRewriter } from './path-rewrite.js';
import type { RoutePattern } from './route-pattern.js';

/** One leg of an aggregation route, checked: an HTTP call through the client of `clientKey`, or a TCP message to `service`. @internal */
export type CompiledLeg =
  | { readonly kind: 'http'; readonly name: string; readonly service: string | undefined; readonly clientKey: string; readonly method: string; readonly path: string; readonly headers: Readonly<Record<string, string>> | undefined; readonly timeout: number }
  | { readonly kind: 'tcp'; readonly name: string; readonly service: string; readonly pattern: unknown; readonly data: unknown; readonly timeout: number };

/**
 * Where a route forwards to: a discovered service, a static origin, or (an aggregation route) its legs, each called
 * through a client of its own; an aggregation route's `clientKey` names no client (`aggregate:<route id>`). @internal
 */
export type RouteTarget =
  | { kind: 'service'; service: string; clientKey: string }
  | { kind: 'url'; origin: string; basePath: string; clientKey: string }
  | { kind: 'aggregate'; legs: readonly CompiledLeg[]; clientKey: string };

/** A throttler as applied on one route. @internal */
export type RouteThrottler = Readonly<Required<GatewayThrottler>>;

/** A route checked and ready to match; header rules, hooks and timeout as the route gives them. @internal */
export interface CompiledRoute
  extends Readonly<Pick<GatewayRoute, 'requestHeaders' | 'responseHeaders' | 'onRequest' | 'onResponse' | 'timeout'>> {
  readonly id: string;
  readonly index: number;
  readonly pattern: RoutePattern;
  readonly methods: ReadonlySet<string> | undefined;
  readonly host: ((host: string) => boolean) | undefined;
  readonly headers: ReadonlyArray<[string, (value: string | string[] | undefined) => boolean]>;
  readonly target: RouteTarget;
  readonly rewrite: PathRewriter;
  readonly auth: AuthenticationMode;
  /** The requirement of a method (`undefined`: none; `null`: refused, a method a per-method table without `'*'` does not name). */
  access(method: string): AccessRequirement | null | undefined;
  readonly throttlers: readonly RouteThrottler[];
  readonly cache: Required<GatewayRouteCache> | undefined;
  readonly maxBodySize: number;
  readonly maxResponseSize: number;
  /** WebSocket upgrades are tunneled (`websocket: true`); otherwise refused. */
  readonly websocket: boolean;
}

/** The discovered services a route calls (none for a static `url`), for the clients the gateway follows from the start. @internal */
export function servicesOf(target: RouteTarget): string[] {
  if (target.kind === 'service') return [target.service];
  if (target.kind === 'url') return [];
  return [...new Set(target.legs.flatMap((leg) => (leg.service === undefined ? [] : [leg.service])))];
}
