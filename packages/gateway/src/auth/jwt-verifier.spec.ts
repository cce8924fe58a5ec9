import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { isAuthenticationFailedError } from '../errors/authentication-failed.error.js';
import { isGatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { JwtVerifier } from './jwt-verifier.js';
import type { JwtVerifierOptions } from './jwt-verifier.options.js';

const secret = 'a-shared-secret-of-at-least-32-bytes!!';
const exp = () => Math.floor(Date.now() / 1000) + 300;

describe('JwtVerifier', () => {
  it('verifies with static public keys (JWKS document), selecting by kid', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwt = new JwtVerifier({ jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] }, algorithms: ['ES256'] });
    const token = await new SignJWT({ sub: 'svc', scp: ['orders:read'], exp: exp() }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(privateKey);
    expect(await jwt.verify(token)).toMatchObject({ subject: 'svc', scopes: ['orders:read'] });
  });

  it('verifies HMAC tokens with a secret, and refuses RS256 tokens there', async () => {
    const jwt = new JwtVerifier({ secret });
    const token = await new SignJWT({ sub: 'svc', exp: exp() }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
    expect((await jwt.verify(token)).subject).toBe('svc');
    const { privateKey } = await generateKeyPair('RS256');
    const rsa = await new SignJWT({ sub: 'svc', exp: exp() }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    const error = await jwt.verify(rsa).catch((caught: unknown) => caught);
    expect(isAuthenticationFailedError(error) && error.reason).toBe('algorithm');
  });

  it.each<[string, JwtVerifierOptions, RegExp]>([
    ['alg none', { secret, algorithms: ['none' as never] }, /never include "none"/],
    ['HMAC beside public keys', { jwksUrl: 'https://idp.test/jwks', algorithms: ['RS256', 'HS256'] }, /HS256 with public keys would let anyone sign/],
    ['RSA with only a secret', { secret, algorithms: ['RS256'] }, /RS256 needs public keys/],
    ['an unknown algorithm', { jwksUrl: 'https://idp.test/jwks', algorithms: ['RS1' as never] }, /unknown algorithm "RS1"/],
    ['a symmetric key in a JWKS', { jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }, /symmetric \("oct"\) key/],
    ['two key sources', { secret, jwksUrl: 'https://idp.test/jwks' }, /exactly one key source .*got jwksUrl, secret/],
    ['no key source', {}, /exactly one key source .*got none/],
    ['a short secret', { secret: 'short' }, /at least 32 bytes/],
    ['a URL that is not http(s)', { jwksUrl: 'file:///etc/jwks.json' }, /invalid jwksUrl "file:\/\/\/etc\/jwks.json"/],
    ['a negative leeway', { secret, clockTolerance: -1 }, /invalid clockTolerance -1/],
    ['an empty audience', { secret, audience: '' }, /invalid audience ""/],
    ["a jwksFetch.timeout over 2^31-1 ms (Node's largest timer)", { jwksUrl: 'https://idp.test/jwks', jwksFetch: { timeout: 2 ** 31 } }, /invalid jwksFetch\.timeout 2147483648\. Use a number > 0 and <= 2147483647/],
  ])('refuses %s at construction, naming the fix', (_, options, message) => {
    let error: unknown;
    try {
      new JwtVerifier(options);
    } catch (caught) {
      error = caught;
    }
    expect(isGatewayConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses unknown option keys, naming the closest valid one (a misspelt audience must not go unchecked)', () => {
    expect(() => new JwtVerifier({ secret, audiance: 'orders-api' } as never)).toThrow('JwtVerifier: unknown option "audiance". Did you mean "audience"?');
    expect(() => new JwtVerifier({ secret, cache: { maxEntires: 1 } } as never)).toThrow('JwtVerifier: unknown option "cache.maxEntires". Did you mean "maxEntries"?');
  });
});
