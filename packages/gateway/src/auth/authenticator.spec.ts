import { SignJWT } from 'jose';
import { isAuthenticationFailedError } from '../errors/authentication-failed.error.js';
import { isGatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { ApiKeyVerifier, hashApiKey } from './api-key.verifier.js';
import { Authenticator, type AuthenticationMode } from './authenticator.js';
import { presentedCredentials } from './credentials.js';
import { JwtVerifier } from './jwt-verifier.js';

const secret = 'a-shared-secret-of-at-least-32-bytes!!';
const key = 'sk_test_0123456789abcdef0123456789abcdef';
const jwt = new JwtVerifier({ secret });
const apiKeys = new ApiKeyVerifier([{ id: 'partner', hash: hashApiKey(key), scopes: ['orders:read'] }]);
const auth = new Authenticator({ jwt, apiKeys });
const token = () => new SignJWT({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 60 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));

async function failure(headers: Record<string, string | string[]>, mode: AuthenticationMode, authenticator = auth) {
  const error = await authenticator.authenticate(headers, mode).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAuthenticationFailedError(error)) throw new Error(`expected a 401, got ${String(error)}`);
  return { reason: error.reason, challenge: error.challenge };
}

describe('Authenticator', () => {
  it('authenticates by route mode', async () => {
    const bearer = { authorization: `Bearer ${await token()}` };
    expect((await auth.authenticate(bearer, 'jwt'))?.subject).toBe('alice');
    expect((await auth.authenticate({ 'x-api-key': key }, 'api-key'))?.apiKeyId).toBe('partner');
    expect((await auth.authenticate(bearer, 'any'))?.method).toBe('jwt');
    expect((await auth.authenticate({ 'x-api-key': key }, 'any'))?.method).toBe('api-key');
    expect(await auth.authenticate({}, 'public')).toBeUndefined();
    expect((await auth.authenticate(bearer, 'public'))?.subject).toBe('alice');
  });

  it('answers 401 with a challenge naming the schemes the route accepts', async () => {
    expect(await failure({}, 'jwt')).toEqual({ reason: 'missing', challenge: 'Bearer realm="api"' });
    expect(await failure({}, 'any')).toEqual({ reason: 'missing', challenge: 'Bearer realm="api", ApiKey realm="api"' });
    expect(await failure({ 'x-api-key': key }, 'jwt')).toMatchObject({ reason: 'missing' });
    expect(await failure({ authorization: `Bearer ${await token()}` }, 'api-key')).toEqual({ reason: 'missing', challenge: 'ApiKey realm="api"' });
  });

  it('never downgrades a wrong or malformed credential to anonymous, even on a public route', async () => {
    expect((await failure({ authorization: 'Bearer not.a.jwt' }, 'public')).reason).toBe('malformed');
    expect((await failure({ 'x-api-key': 'wrong' }, 'public')).reason).toBe('invalid-api-key');
    expect((await failure({ authorization: 'Basic YTpi' }, 'public')).challenge).toContain('error="invalid_request"');
    expect((await failure({ authorization: ['Bearer a', 'Bearer b'] }, 'jwt')).reason).toBe('malformed');
  });

  it('refuses a mode whose verifier is missing, or an unknown mode, as a configuration error', async () => {
    const onlyKeys = new Authenticator({ apiKeys });
    for (const [authenticator, mode] of [[onlyKeys, 'jwt'], [auth, 'oauth']] as const) {
      const error = await authenticator.authenticate({}, mode as AuthenticationMode).catch((caught: unknown) => caught);
      expect(isGatewayConfigurationError(error)).toBe(true);
    }
  });

  it('calls a request anonymous only on a public route with no credential header, whatever the header case of the configured API key header', async () => {
    const custom = new Authenticator({ jwt, apiKeys, apiKeyHeader: 'X-Partner-Key' });
    expect(custom.isAnonymous({ host: 'api' }, 'public')).toBe(true);
    expect(custom.isAnonymous({ host: 'api' }, 'jwt')).toBe(false);
    expect(custom.isAnonymous({ authorization: 'Bearer x' }, 'public')).toBe(false);
    expect(custom.isAnonymous({ 'x-partner-key': key }, 'public')).toBe(false);
    // What it calls anonymous, authenticate() answers without an identity; what it does not, authenticate() looks at.
    await expect(custom.authenticate({ host: 'api' }, 'public')).resolves.toBeUndefined();
    expect((await custom.authenticate({ 'x-partner-key': key }, 'public'))?.apiKeyId).toBe('partner');
  });

  it('reads credentials strictly', () => {
    expect(presentedCredentials({ authorization: 'bearer abc.def-ghi_~+/=' })).toEqual({ bearer: 'abc.def-ghi_~+/=' });
    expect(presentedCredentials({ authorization: 'Bearer ' })).toEqual({ malformed: 'Authorization is not "Bearer <token>"' });
    expect(presentedCredentials({ authorization: 'Bearer a b' }).malformed).toBeDefined();
    expect(presentedCredentials({ 'x-key': ' k ' }, 'X-Key')).toEqual({ apiKey: 'k' });
    expect(presentedCredentials({ 'x-api-key': ['a', 'b'] }).malformed).toBe('more than one x-api-key header');
  });
});
