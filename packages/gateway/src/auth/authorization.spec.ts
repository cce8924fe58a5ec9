import { isAccessDeniedError } from '../errors/access-denied.error.js';
import { authorize, rolesOf, scopesOf } from './authorization.js';
import type { VerifiedIdentity } from './verified-identity.interface.js';
import { bearerChallenge } from './www-authenticate.js';

const identity = (scopes: string[], roles: string[] = []): VerifiedIdentity => ({ method: 'jwt', subject: 'alice', scopes, roles, claims: {} });

describe('scopes and roles', () => {
  it('reads scope (space-separated), scp (array or string), and both at once', () => {
    expect(scopesOf({ scope: 'orders:read  orders:write' })).toEqual(['orders:read', 'orders:write']);
    expect(scopesOf({ scp: ['orders:read', 42, ''] })).toEqual(['orders:read']);
    expect(scopesOf({ scp: 'orders:read' })).toEqual(['orders:read']);
    expect(scopesOf({ scope: 'a', scp: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(scopesOf({ scope: { admin: true } })).toEqual([]);
    expect(scopesOf({})).toEqual([]);
  });

  it('reads roles at a dotted path, and nothing from odd shapes', () => {
    expect(rolesOf({ roles: ['admin'] })).toEqual(['admin']);
    expect(rolesOf({ realm_access: { roles: ['ops', 1] } }, 'realm_access.roles')).toEqual(['ops']);
    expect(rolesOf({ roles: 'admin' })).toEqual([]);
    expect(rolesOf({}, 'realm_access.roles')).toEqual([]);
    expect(rolesOf(Object.create({ roles: ['inherited'] }) as Record<string, unknown>)).toEqual([]);
  });

  it('authorizes when every scope and one of the roles is held', () => {
    expect(() => authorize(identity(['orders:read', 'orders:write']), { scopes: ['orders:write'] })).not.toThrow();
    expect(() => authorize(identity([], ['ops']), { roles: ['admin', 'ops'] })).not.toThrow();
    expect(() => authorize(identity([]), {})).not.toThrow();
  });

  it('denies with a 403, naming what is missing, and an insufficient_scope challenge', () => {
    let error: unknown;
    try {
      authorize(identity(['orders:read']), { scopes: ['orders:read', 'orders:write'], roles: ['admin'] });
    } catch (caught) {
      error = caught;
    }
    expect(isAccessDeniedError(error)).toBe(true);
    expect(error).toMatchObject({ status: 403, missingScopes: ['orders:write'], missingRoles: ['admin'] });
    expect((error as Error).message).toMatch(/"alice": missing scope\(s\) orders:write; none of the role\(s\) admin/);
    expect((error as { challenge: string }).challenge).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The credential lacks the access this request needs", scope="orders:read orders:write"',
    );
  });

  it('escapes challenge values', () => {
    expect(bearerChallenge({ realm: 'a"b\\c\r\n' })).toBe('Bearer realm="a\\"b\\\\c"');
    expect(bearerChallenge()).toBe('Bearer realm="api"');
  });
});
