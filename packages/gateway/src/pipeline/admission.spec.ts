import type { IncomingMessage } from 'node:http';
import { ApiKeyVerifier, hashApiKey } from '../auth/api-key.verifier.js';
import { Authenticator } from '../auth/authenticator.js';
import { TrustedProxies } from '../edge/trusted-proxies.js';
import { isAccessDeniedError } from '../errors/access-denied.error.js';
import { isAuthenticationFailedError } from '../errors/authentication-failed.error.js';
import type { GatewayRoute } from '../interfaces/gateway-route.interface.js';
import { compileRoutes } from '../routing/compile-routes.js';
import type { CompiledRoute } from '../routing/compiled-route.js';
import { MemoryThrottlerStorage } from '../throttler/memory-throttler.storage.js';
import { FailedAuthenticationLimiter } from '../auth/failed-authentication.limiter.js';
import { Admission } from './admission.js';

const KEY = 'reader-key-0123456789';

/** The parts of Node's request admission reads (a request as the HTTP server hands it over). */
function request(headers: Record<string, string>, method = 'GET'): IncomingMessage {
  return { method, headers, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
}

/** What `admit()` threw or rejected with. */
async function failureOf(admit: () => unknown): Promise<unknown> {
  try {
    await admit();
  } catch (error) {
    return error;
  }
  throw new Error('expected admission to fail');
}

describe('Admission', () => {
  const storage = new MemoryThrottlerStorage();
  afterAll(() => storage.onApplicationShutdown());
  const authenticator = new Authenticator({ apiKeys: new ApiKeyVerifier([{ id: 'reader', hash: hashApiKey(KEY), subject: 'reader', roles: ['reader'] }]) });
  const admission = new Admission({
    authenticator,
    failedAuthentication: new FailedAuthenticationLimiter(authenticator, storage, undefined),
    realm: 'api',
    storage,
    trustedProxies: TrustedProxies.parse(undefined),
    extraIdentityHeaders: [],
  });
  const route = (options: Partial<GatewayRoute>): CompiledRoute =>
    compileRoutes([{ prefix: '/x', url: 'http://127.0.0.1:1', ...options }], {
      throttlers: [{ name: 'burst', limit: 1, ttl: 60_000 }],
      authModes: new Set(['public', 'api-key', 'any']),
      defaultAuth: 'public',
      maxBodySize: 1_000,
      maxResponseSize: 1_000,
    }).routes[0];

  it('admits an anonymous request to a public, unthrottled route synchronously, its headers cleaned and set by the gateway', () => {
    const admitted = admission.admit(request({ 'x-user-id': 'root', 'x-forwarded-for': '10.0.0.1', connection: 'Upgrade', upgrade: 'websocket', accept: '*/*' }), route({ throttle: false }), 'id-1');
    expect(admitted).not.toBeInstanceOf(Promise);
    expect(admitted).toMatchObject({ identity: undefined, client: '127.0.0.1', rateHeaders: {} });
    expect((admitted as Exclude<typeof admitted, Promise<unknown>>).headers).toEqual({ accept: '*/*', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-request-id': 'id-1' });
  });

  it('verifies a credential, checks access for the method, and sets identity headers from the verified identity', async () => {
    const guarded = route({ auth: 'api-key', access: { GET: { roles: ['reader'] }, '*': { roles: ['writer'] } }, throttle: false });
    const admitted = await admission.admit(request({ 'x-api-key': KEY, 'x-user-id': 'root', 'x-auth-method': 'forged' }), guarded, 'id-2');
    expect(admitted.identity?.subject).toBe('reader');
    expect(admitted.headers).toMatchObject({ 'x-user-id': 'reader', 'x-auth-method': 'api-key', 'x-api-key-id': 'reader' });
    expect(isAuthenticationFailedError(await failureOf(() => admission.admit(request({}), guarded, 'id-3')))).toBe(true);
    expect(isAccessDeniedError(await failureOf(() => admission.admit(request({ 'x-api-key': KEY }, 'POST'), guarded, 'id-4')))).toBe(true);
  });

  it('throttles by caller: over the limit, a 429 refusal with Retry-After and RateLimit headers, and no headers to forward', async () => {
    const throttled = route({ auth: 'api-key' });
    const first = await admission.admit(request({ 'x-api-key': KEY }), throttled, 'id-5');
    expect(first.refused).toBeUndefined();
    expect(first.rateHeaders).toMatchObject({ 'ratelimit-limit': 1, 'ratelimit-remaining': 0 });
    const second = await admission.admit(request({ 'x-api-key': KEY }), throttled, 'id-6');
    expect(second.refused).toMatchObject({ status: 429, headers: { 'retry-after': expect.any(Number), 'ratelimit-remaining': 0 } });
    expect(second.headers).toEqual({});
  });
});
