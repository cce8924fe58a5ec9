import { isBadRequestTargetError } from '../errors/bad-request-target.error.js';
import { normalizeRequestTarget } from './request-target.js';

const reasonOf = (target: string) => {
  try {
    normalizeRequestTarget(target);
  } catch (error) {
    if (isBadRequestTargetError(error)) return error.reason;
    throw error;
  }
  return 'accepted';
};

describe('normalizeRequestTarget', () => {
  it.each([
    ['/api/orders', '/api/orders', ''],
    ['/api/orders/', '/api/orders/', ''],
    ['/', '/', ''],
    ['/api/orders/../../admin/health', '/admin/health', ''],
    ['/api/orders/%2e%2e/%2E%2E/admin', '/admin', ''],
    ['/api/orders/.%2e/x', '/api/x', ''],
    ['/../../../etc/passwd', '/etc/passwd', ''],
    ['/api//orders///42', '/api/orders/42', ''],
    ['//evil.example/api', '/evil.example/api', ''],
    ['/api/./orders/.', '/api/orders/', ''],
    ['/api/orders/42/..', '/api/orders/', ''],
    ['/a/..', '/', ''],
    ['/api/orders?id=1&x=%2F', '/api/orders', 'id=1&x=%2F'],
    ['/api/caf%C3%A9', '/api/café', ''],
    ['/api/a%20b', '/api/a b', ''],
    ['/api/%7Euser', '/api/~user', ''],
    ['/.well-known/jwks.json', '/.well-known/jwks.json', ''],
    ['/a/.../b', '/a/.../b', ''],
    ['/a/..b/c.', '/a/..b/c.', ''],
    ['/a/b/..?q', '/a/', 'q'],
  ])('%s → %s', (target, path, query) => {
    expect(normalizeRequestTarget(target)).toMatchObject({ path, query });
  });

  it('gives the same answer on the fast path (already normal) as on the decoding path', () => {
    for (const path of ['/a/b', '/a/b/', '/.x/y', '/a=1/c', "/a/!$&'()*+,=:@-._~/z"]) {
      const viaDecoding = normalizeRequestTarget(`${path}/%7E/..`); // forces the decoding path, same result
      expect(normalizeRequestTarget(path.endsWith('/') ? path : `${path}/`)).toEqual(viaDecoding);
    }
  });

  it('re-encodes the path for the upstream, keeping what RFC 3986 allows in a segment', () => {
    expect(normalizeRequestTarget('/api/caf%C3%A9/a%20b/x:y@z,v=1,2/%3F').encodedPath).toBe('/api/caf%C3%A9/a%20b/x:y@z,v=1,2/%3F');
    expect(normalizeRequestTarget('/api/%61%62c').encodedPath).toBe('/api/abc');
  });

  it('splits an absolute-form target into its authority (the host it names) and its path and query', () => {
    expect(normalizeRequestTarget('http://evil.example/api/orders?x=1')).toEqual({ authority: 'evil.example', path: '/api/orders', encodedPath: '/api/orders', query: 'x=1' });
    expect(normalizeRequestTarget('https://Evil.example:8443')).toMatchObject({ authority: 'Evil.example:8443', path: '/' });
    expect(normalizeRequestTarget('http://[::1]:80?x=1')).toMatchObject({ authority: '[::1]:80', path: '/', query: 'x=1' });
    expect(normalizeRequestTarget('/api/orders').authority).toBeUndefined();
  });

  it.each(['http://user:pass@evil.example/x', 'http:///x', 'http://evil example/x', 'http://a.example:8x/x', 'http://a.example%2F/x'])(
    'refuses the absolute-form target %s, whose authority is not a plain host[:port] (RFC 9110 §4.2.4: userinfo is an error)',
    (target) => {
      expect(reasonOf(target)).toBe('invalid-authority');
    },
  );

  it.each([
    ['', 'empty'],
    ['*', 'not-origin-form'],
    ['evil.example:443', 'not-origin-form'],
    ['api/orders', 'not-origin-form'],
    ['/api/orders%2F..%2Fadmin', 'encoded-slash'],
    ['/api/orders%2f42', 'encoded-slash'],
    ['/api\\..\\admin', 'backslash'],
    ['/api/orders%5C..%5Cadmin', 'encoded-backslash'],
    ['/api/%252e%252e/admin', 'double-encoding'],
    ['/api/%zz', 'invalid-encoding'],
    ['/api/%4', 'invalid-encoding'],
    ['/api/%C3', 'invalid-encoding'],
    ['/api/%00', 'control-character'],
    ['/api/a%0d%0aSet-Cookie:x', 'control-character'],
    ['/api/a b', 'invalid-character'],
    ['/api/\u00e9', 'invalid-character'],
    ['/api/orders#frag', 'fragment'],
    ['/api/orders/..;/admin', 'dot-segment-parameter'],
    ['/api/orders/%2e%2e;x/admin', 'dot-segment-parameter'],
    ['/api/admin;x/users', 'path-parameter'],
    ['/api/admin/users;jsessionid=1', 'path-parameter'],
    ['/api/admin%3Bx/users', 'path-parameter'],
    ['/api/x/%25%32%65%25%32%65/admin', 'double-encoding'],
    ['/api/x/%2525/admin', 'double-encoding'],
  ])('refuses %p (%s) with a 400', (target, reason) => {
    expect(reasonOf(target)).toBe(reason);
  });

  it('names the target and the fix in the message', () => {
    expect(() => normalizeRequestTarget('/a%2Fb')).toThrow(/Request target refused \(encoded-slash\): "\/a%2Fb"\. Send a plain origin-form path/);
  });
});
