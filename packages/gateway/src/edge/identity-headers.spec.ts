import { identityHeaders, removeIdentityHeaders } from './identity-headers.js';

describe('identity headers', () => {
  it('removes every identity header a client sends, whatever its case', () => {
    const incoming = {
      'x-user-id': 'admin',
      'X-User-Roles': 'admin',
      'x-user-anything': '1',
      'x-auth-user': 'root',
      'x-forwarded-user': 'root',
      'remote-user': 'root',
      'x-tenant': 'acme',
      accept: '*/*',
    };
    expect(removeIdentityHeaders(incoming, ['X-Tenant'])).toEqual({ accept: '*/*' });
    expect(removeIdentityHeaders({ 'x-userland': 'kept', authorization: 'Bearer t' })).toEqual({ 'x-userland': 'kept', authorization: 'Bearer t' });
  });

  it('sets them from a verified identity only, never letting a claim inject a header', () => {
    expect(identityHeaders({ method: 'jwt', subject: 'alice', scopes: ['orders:read', 'orders:write'], roles: ['user'], claims: {} })).toEqual({
      'x-auth-method': 'jwt',
      'x-user-id': 'alice',
      'x-user-scopes': 'orders:read orders:write',
      'x-user-roles': 'user',
    });
    const evil = identityHeaders({ method: 'jwt', subject: 'bob\r\nx-admin: true', scopes: ['é'], roles: [], claims: {} });
    expect(evil['x-user-id']).toBe('bob%0D%0Ax-admin%3A%20true');
    expect(evil['x-user-scopes']).toBe('%C3%A9');
    // A space would split one role or scope into two for the upstream, a "%" make two subjects one.
    const spaced = identityHeaders({ method: 'jwt', subject: 'b%C3%B8b', scopes: ['orders:read admin:all'], roles: ['viewer', 'Guest superuser'], claims: {} });
    expect(spaced).toMatchObject({ 'x-user-id': 'b%25C3%25B8b', 'x-user-scopes': 'orders%3Aread%20admin%3Aall', 'x-user-roles': 'viewer Guest%20superuser' });
    expect(identityHeaders({ method: 'jwt', subject: 'bøb', scopes: [], roles: [], claims: {} })['x-user-id']).toBe('b%C3%B8b');
    expect(identityHeaders({ method: 'api-key', subject: 'apikey:p', scopes: [], roles: [], claims: {}, apiKeyId: 'p' })).toEqual({
      'x-auth-method': 'api-key',
      'x-user-id': 'apikey:p',
      'x-api-key-id': 'p',
    });
  });
});
