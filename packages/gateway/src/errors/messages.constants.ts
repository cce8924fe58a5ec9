import { describeValue as describe, MAX_TIMER_MS, unknownOptionMessage } from '@nestmesh/common';

/** Every error and warning text of the package, so they read alike. @internal */
export const messages = {
  serviceWithoutInstance: (route: string, service: string, detail: string) =>
    `Route ${JSON.stringify(route)}: no instance of service ${JSON.stringify(service)} is available (${detail}) Its requests get 503 ` +
    `until an instance answers; logged once per outage.`,
  legWithoutInstance: (route: string, leg: string, service: string, detail: string) =>
    `Route ${JSON.stringify(route)}, leg ${JSON.stringify(leg)}: no instance of service ${JSON.stringify(service)} is available (${detail}) ` +
    `The leg fails (502) in the route's answers until an instance answers; logged once per outage.`,
  serviceBack: (service: string) => `Service ${JSON.stringify(service)} answers again.`,
  invalidRedis: (owner: string, value: unknown) =>
    `${owner}: invalid "redis" option ${JSON.stringify(value)}. Use a URL ("redis://127.0.0.1:6379"), ioredis options, ` +
    `or an ioredis client.`,
  invalidFailureMode: (value: unknown) =>
    `RedisThrottlerStorage: invalid "failureMode" ${JSON.stringify(value)}. Use 'open' (let requests through while Redis is down) ` +
    `or 'closed' (refuse them with 429).`,
  invalidTimeout: (option: string, value: unknown) =>
    `Invalid ${option} ${JSON.stringify(value)}. Use a number of milliseconds greater than 0 and at most ${MAX_TIMER_MS}.`,
  invalidKeyPrefix: (value: unknown) => `RedisThrottlerStorage: invalid "keyPrefix" ${JSON.stringify(value)}. Use a string such as "nestmesh:throttler:".`,
  invalidClock: (value: unknown) => `RedisThrottlerStorage: invalid "clock" ${String(value)}. Use a function returning epoch milliseconds (e.g. Date.now), or leave it unset.`,
  redisFailing: (detail: string, mode: 'open' | 'closed') =>
    `Redis does not answer (${detail}): throttling fails ${mode}, so requests are ${mode === 'open' ? 'let through unthrottled' : 'refused with 429'} ` +
    `until it does. Check REDIS_URL and that Redis is up; set failureMode to choose the other behaviour.`,
  accessDenied: (subject: string | undefined, scopes: readonly string[], roles: readonly string[]) =>
    `Access denied to ${subject ? JSON.stringify(subject) : 'the caller'}: ` +
    [scopes.length ? `missing scope(s) ${scopes.join(', ')}` : '', roles.length ? `none of the role(s) ${roles.join(', ')}` : ''].filter(Boolean).join('; ') +
    `. Grant them to the client at the identity provider, or relax the route's requirement.`,
  methodNotInAccess: (subject: string | undefined, method: string, routeId: string) =>
    `Access denied to ${subject ? JSON.stringify(subject) : 'the caller'}: route ${JSON.stringify(routeId)} lists access per method without "*", ` +
    `and ${method} is neither listed nor one of the standard methods. Add ${JSON.stringify(method)} (or "*") to the route's access if it should pass.`,
  jwksUnavailable: (url: string, detail: string) =>
    `The JWKS at ${url} could not be fetched: ${detail}. Check JWT_JWKS_URL (it must answer 200 with a JSON key set, without redirects); ` +
    `it is tried again at most once per cooldown.`,
  invalidJwtOptions: (detail: string) => `JwtVerifier: ${detail}`,
  tokenRefused: (reason: string, detail: string) => `Bearer token refused (${reason}): ${detail}`,
  invalidApiKeys: (detail: string) => `ApiKeyVerifier: ${detail}`,
  tooManyAuthenticationFailures: (tracker: string, limit: number, ttl: number, retryAfter: number) =>
    `Too many refused credentials from ${tracker} (more than ${limit} in ${ttl / 1000} s): its requests with a credential are ` +
    `answered 429 for ${retryAfter} s without checking it. If this is a legitimate client, fix its credential; if many clients share ` +
    `this address (a NAT, or a proxy in front of the gateway that is not in trustedProxies), set trustedProxies or raise auth.failureLimit.`,
  badRequestTarget: (reason: string, target: string) =>
    `Request target refused (${reason}): ${JSON.stringify(target.slice(0, 200))}. Send a plain origin-form path: percent-encode ` +
    `once, never encode "/" or "\\", no backslashes, control characters or path parameters (";").`,
  invalidTrustedProxy: (entry: string) =>
    `Invalid trusted proxy ${JSON.stringify(entry)}. Use IP addresses or CIDR ranges (e.g. "10.0.0.0/8", "2001:db8::/32") or ` +
    `loopback, linklocal, uniquelocal, separated by commas (TRUSTED_PROXIES="10.0.0.0/8, loopback").`,
  authModeUnavailable: (mode: unknown) =>
    `Authentication mode ${JSON.stringify(mode)} cannot be used: ${['public', 'jwt', 'api-key', 'any'].includes(String(mode)) ? 'its verifier is not configured' : 'unknown mode'}. ` +
    `Use 'public', 'jwt' (needs a JwtVerifier), 'api-key' (needs an ApiKeyVerifier) or 'any'.`,
  ambiguousFraming: (reason: string, detail: string) =>
    `Request refused (${reason}): ${detail}. ${reason === 'repeated-header' ? 'Send one Host header and one Authorization header at most' : 'Send either one Content-Length or Transfer-Encoding: chunked, never both'}.`,
  invalidGatewayOption: (option: string, value: unknown, fix: string) =>
    `GatewayModule: invalid "${option}" ${describe(value)}. ${fix}`,
  unknownOption: (where: string, path: string, suggestion: string | undefined, known: readonly string[]) =>
    unknownOptionMessage(where, { path, suggestion, known }, 'a typo cannot change behaviour (a misspelt "auth" would leave a route public)'),
  unsafeStaticUrl: (route: string, url: string, reason: string) =>
    `GatewayModule: route ${route} has an invalid "url" ${JSON.stringify(url)}: its path has ${reason}, which a URL parser would ` +
    `silently resolve into another path upstream. Fix: write the base path as the upstream should receive it, plainly ` +
    `(e.g. "http://10.0.0.5:8080/v1"), without dot segments, encoded dots or slashes, or backslashes.`,
  invalidRoute: (route: string, option: string, value: unknown, fix: string) =>
    `GatewayModule: route ${route} has an invalid "${option}" ${describe(value)}: ${fix}`,
  conflictingRoutes: (first: string, second: string, why: string) =>
    `GatewayModule: routes ${first} and ${second} conflict: ${why}. Give them different paths, methods, hosts or headers, or remove one.`,
  discoveryMissing: (routes: string[]) =>
    `GatewayModule: route(s) ${routes.join(', ')} target discovered services, but no ServiceDiscovery is available. ` +
    `Import ServiceDiscoveryModule.forRoot({}) from @nestmesh/discovery in the app, or target a static "url".`,
  headerSizeUnsupported: (value: number, nodeLimit: number, server: string) =>
    `GatewayModule: limits.maxHeaderSize ${value} is above Node's HTTP header limit (${nodeLimit} bytes), and the app's server (${server}) ` +
    `has no maxHeaderSize to raise. Serve the app with @nestjs/platform-express or @nestjs/platform-fastify over HTTP/1.1 (node:http or ` +
    `node:https, e.g. NestFactory.create(AppModule, { httpsOptions })), start Node with --max-http-header-size=${value}, ` +
    `or lower limits.maxHeaderSize to at most ${nodeLimit}.`,
  hookFailed: (route: string, hook: 'onRequest' | 'onResponse') =>
    `GatewayModule: the ${hook} hook of route ${JSON.stringify(route)} threw; the client got a 500. Fix the hook (the error follows), ` +
    `or catch what it may throw inside it.`,
  unsupportedPlatform: (name: string) =>
    `GatewayModule: the HTTP adapter ${JSON.stringify(name)} is not supported. Use @nestjs/platform-express or @nestjs/platform-fastify.`,
} as const;
