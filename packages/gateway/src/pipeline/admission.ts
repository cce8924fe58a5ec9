import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { authorize, methodNotInAccess } from '../auth/authorization.js';
import type { VerifiedIdentity } from '../auth/verified-identity.interface.js';
import { resolveForwarded, type ForwardedResult } from '../edge/forwarded-headers.js';
import type { ProblemDetails } from '../proxy/problem-details.js';
import type { CompiledRoute } from '../routing/compiled-route.js';
import { clientIpTracker, userTracker } from '../throttler/throttler-keys.js';
import { forwardedRequestHeaders } from './forwarded-request-headers.js';
import type { GatewayProxyDeps } from './gateway-proxy-deps.interface.js';
import { throttleRequest, type ThrottleOutcome } from './route-throttle.js';

/** What admission needs of the gateway. @internal */
export type AdmissionDeps = Pick<
  GatewayProxyDeps,
  'authenticator' | 'failedAuthentication' | 'realm' | 'storage' | 'trustedProxies' | 'extraIdentityHeaders'
>;

/** A request a route let in, or a throttler refused. @internal */
export interface Admitted {
  /** The verified caller; `undefined` on a public route without credentials. */
  readonly identity: VerifiedIdentity | undefined;
  /** The client address (from `trustedProxies` rules). */
  readonly client: string | undefined;
  /** The headers to send upstream: hop-by-hop and client-sent identity/forwarding headers gone, the gateway's own set, the route's rules applied. */
  readonly headers: Record<string, string | string[]>;
  /** `RateLimit-*` headers for the answer (empty when the route is not throttled). */
  readonly rateHeaders: Readonly<Record<string, number>>;
  /** Set when a throttler refused: the 429 to answer (with `Retry-After` and `RateLimit-*`); nothing is forwarded. */
  readonly refused?: ProblemDetails;
}

const NOT_THROTTLED: ThrottleOutcome = Object.freeze({ headers: Object.freeze({}) });
const NO_HEADERS: Record<string, string | string[]> = Object.freeze({}) as Record<string, string | string[]>;

/**
 * The one admission step of every request a route claims, upgrades included: authentication (refused with 429
 * before any verification once the client's address failed too often: `auth.failureLimit`), authorization for the
 * method, the client address (trusted proxies), throttling (by verified subject, else client address), and the
 * request headers sent upstream ({@link forwardedRequestHeaders}). Throws what authentication and authorization
 * throw; a throttler's refusal is returned. Synchronous when it can be: a public route without credentials and
 * without throttlers makes no promise at all. @internal
 */
export class Admission {
  constructor(private readonly deps: AdmissionDeps) {}

  /** Admits `req` to `route`: the outcome, or a promise of it when a credential or a throttler must be checked. */
  admit(req: IncomingMessage, route: CompiledRoute, requestId: string): Admitted | Promise<Admitted> {
    const forwarded = resolveForwarded({ peer: req.socket.remoteAddress, headers: req.headers, encrypted: (req.socket as TLSSocket).encrypted === true, trustedProxies: this.deps.trustedProxies });
    if (this.deps.authenticator.isAnonymous(req.headers, route.auth)) return this.authorized(req, route, requestId, undefined, forwarded);
    // The client's address is resolved first: failed credentials are counted (and refused past the limit) by it.
    const identity = this.deps.failedAuthentication.authenticate(req.headers, route.auth, forwarded.client);
    if (identity instanceof Promise) return identity.then((verified) => this.authorized(req, route, requestId, verified, forwarded));
    return this.authorized(req, route, requestId, identity, forwarded);
  }

  private authorized(req: IncomingMessage, route: CompiledRoute, requestId: string, identity: VerifiedIdentity | undefined, forwarded: ForwardedResult): Admitted | Promise<Admitted> {
    const deps = this.deps;
    const method = req.method ?? 'GET';
    const requirement = route.access(method);
    if (requirement === null) throw methodNotInAccess(identity, method, route.id, deps.realm);
    if (requirement) authorize(identity!, requirement, deps.realm);
    if (!deps.storage || route.throttlers.length === 0) return this.admitted(req, route, requestId, identity, forwarded, NOT_THROTTLED);
    const tracker = userTracker(identity?.subject) ?? clientIpTracker(forwarded.client) ?? 'anonymous';
    const throttling = throttleRequest(deps.storage, route, tracker);
    if (throttling instanceof Promise) return throttling.then((outcome) => this.admitted(req, route, requestId, identity, forwarded, outcome));
    return this.admitted(req, route, requestId, identity, forwarded, throttling);
  }

  private admitted(req: IncomingMessage, route: CompiledRoute, requestId: string, identity: VerifiedIdentity | undefined, forwarded: ForwardedResult, outcome: ThrottleOutcome): Admitted {
    const { client } = forwarded;
    const rateHeaders = outcome.headers;
    if (outcome.refused) return { identity, client, headers: NO_HEADERS, rateHeaders, refused: outcome.refused };
    const { extraIdentityHeaders, authenticator } = this.deps;
    const unverified = authenticator.unverifiedHeaders(identity);
    const headers = forwardedRequestHeaders(req.headers, { forwarded: forwarded.headers, identity, requestId, extraIdentityHeaders, rules: route.requestHeaders, unverified });
    return { identity, client, headers, rateHeaders };
  }
}
