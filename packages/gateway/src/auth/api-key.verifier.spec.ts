import { isAuthenticationFailedError } from '../errors/authentication-failed.error.js';
import { isGatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { ApiKeyVerifier, hashApiKey } from './api-key.verifier.js';

describe('ApiKeyVerifier', () => {
  const key = 'sk_live_0123456789abcdef0123456789abcdef';
  const verifier = new ApiKeyVerifier([
    { id: 'partner-a', hash: hashApiKey(key), scopes: ['orders:read'], roles: ['partner'] },
    { id: 'partner-b', hash: `sha256:${hashApiKey('sk_live_other_key_xxxxxxxxxxxxxxxxxxxxxx').toUpperCase()}` },
  ]);

  it('recognises a stored key by its hash and returns its identity', () => {
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(verifier.verify(key)).toEqual({ method: 'api-key', subject: 'apikey:partner-a', scopes: ['orders:read'], roles: ['partner'], claims: {}, apiKeyId: 'partner-a' });
    expect(verifier.verify('sk_live_other_key_xxxxxxxxxxxxxxxxxxxxxx').apiKeyId).toBe('partner-b');
  });

  it.each([
    ['a wrong key', 'sk_live_0123456789abcdef0123456789abcdee', 'invalid-api-key'],
    ['the stored hash itself', hashApiKey(key), 'invalid-api-key'],
    ['a key with a suffix', `${key}x`, 'invalid-api-key'],
    ['a huge key', 'k'.repeat(100_000), 'invalid-api-key'],
    ['nothing', undefined, 'missing'],
    ['an empty key', '', 'missing'],
  ])('refuses %s with a 401', (_, presented, reason) => {
    let error: unknown;
    try {
      verifier.verify(presented);
    } catch (caught) {
      error = caught;
    }
    expect(isAuthenticationFailedError(error)).toBe(true);
    expect(error).toMatchObject({ reason, status: 401 });
    expect((error as Error).message).not.toContain(key);
  });

  it.each([
    [[{ id: 'a', hash: 'plain-text-key' }], /invalid key .*hashApiKey/],
    [[{ id: '', hash: hashApiKey('x') }], /invalid key/],
    [[{ id: 'a', hash: hashApiKey('x') }, { id: 'b', hash: hashApiKey('x') }], /key "b" has the same hash/],
    ['nope', /expected an array/],
  ])('refuses bad definitions %p', (definitions, message) => {
    let error: unknown;
    try {
      new ApiKeyVerifier(definitions as never);
    } catch (caught) {
      error = caught;
    }
    expect(isGatewayConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses unknown keys in a definition, naming the closest valid one (a misspelt scopes grant would be lost)', () => {
    expect(() => new ApiKeyVerifier([{ id: 'a', hash: hashApiKey('k'), scope: ['orders:read'] } as never])).toThrow(
      'ApiKeyVerifier: unknown option "definitions[0].scope". Did you mean "scopes"?',
    );
  });
});
