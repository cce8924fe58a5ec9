import type { VerifiedIdentity } from '../auth/verified-identity.interface.js';
import { cacheKeys, identityDigest, normalizedHost } from './cache-key.js';

const CREDENTIALS = ['authorization', 'cookie', 'x-api-key'];
const jwt = (claims: Record<string, unknown>): VerifiedIdentity => ({ method: 'jwt', subject: claims.sub as string | undefined, scopes: [], roles: [], claims, expiresAt: 1_900_000_000_000 });
const keysOf = (headers: Record<string, string | string[]>, identity?: VerifiedIdentity, upstreamPath = '/items?a=1') =>
  cacheKeys({ route: { id: 'items' }, upstreamPath, identity, upstreamHeaders: { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'api.example.com', ...headers } }, CREDENTIALS);

describe('normalizedHost', () => {
  it.each([
    ['API.Example.com', 'http', 'api.example.com'],
    ['api.example.com:80', 'http', 'api.example.com'],
    ['api.example.com:080', 'http', 'api.example.com'],
    ['api.example.com:443', 'http', 'api.example.com:443'],
    ['api.example.com:443', 'https', 'api.example.com'],
    ['api.example.com:80', 'https', 'api.example.com:80'],
    ['api.example.com:8080', 'http', 'api.example.com:8080'],
    ['[::1]', 'http', '[::1]'],
    ['[::1]:80', 'http', '[::1]'],
    ['[2001:DB8::1]:8443', 'https', '[2001:db8::1]:8443'],
    [undefined, 'http', ''],
  ])('%p over %s is %p', (host, proto, expected) => {
    expect(normalizedHost(host, proto)).toBe(expected);
  });
});

describe('identityDigest', () => {
  it('is the same for equal identities whatever the order of their fields, and differs on any claim', () => {
    const a = jwt({ client_id: 'svc-a', iss: 'https://idp.test/', nested: { x: 1, y: [1, 2] } });
    const reordered = jwt({ nested: { y: [1, 2], x: 1 }, iss: 'https://idp.test/', client_id: 'svc-a' });
    expect(identityDigest(a)).toBe(identityDigest(reordered));
    expect(identityDigest(a)).toBe(identityDigest(a));
    for (const other of [jwt({ client_id: 'svc-b', iss: 'https://idp.test/', nested: { x: 1, y: [1, 2] } }), jwt({ client_id: 'svc-a', iss: 'https://other.test/', nested: { x: 1, y: [1, 2] } }), jwt({ azp: 'svc-a', iss: 'https://idp.test/', nested: { x: 1, y: [1, 2] } })]) {
      expect(identityDigest(other)).not.toBe(identityDigest(a));
    }
    const key = (id: string, subject?: string): VerifiedIdentity => ({ method: 'api-key', subject, apiKeyId: id, scopes: [], roles: [], claims: {} });
    expect(identityDigest(key('reader', 'svc'))).not.toBe(identityDigest(key('admin', 'svc')));
    expect(identityDigest(key('alice'))).not.toBe(identityDigest(jwt({ sub: 'alice' })));
  });
});

describe('cacheKeys', () => {
  it('keys on route, scheme, normalised host, path and query; anonymous callers without credentials share one own key', () => {
    const plain = keysOf({});
    expect(plain.credentialed).toBe(false);
    expect(keysOf({ 'x-forwarded-host': 'API.example.com:80' })).toEqual(plain);
    expect(plain.own).not.toBe(plain.shared);
    for (const other of [keysOf({ 'x-forwarded-host': 'evil.example' }), keysOf({ 'x-forwarded-proto': 'https' }), keysOf({}, undefined, '/items?a=2'), keysOf({}, undefined, '/items?a=%31')]) {
      expect(other.shared).not.toBe(plain.shared);
      expect(other.own).not.toBe(plain.own);
    }
    const otherRoute = cacheKeys({ route: { id: 'other' }, upstreamPath: '/items?a=1', identity: undefined, upstreamHeaders: { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'api.example.com' } }, CREDENTIALS);
    expect(otherRoute.shared).not.toBe(plain.shared);
  });

  it('gives every cookie, credential and identity its own key, with none of them in its text', () => {
    const plain = keysOf({});
    const alice = keysOf({ cookie: 'session=alice-secret' });
    expect(alice.credentialed).toBe(true);
    expect(alice.shared).toBe(plain.shared);
    const owns = [
      plain.own,
      alice.own,
      keysOf({ cookie: 'session=bob-secret' }).own,
      keysOf({ cookie: '' }).own,
      keysOf({ authorization: '' }).own,
      keysOf({ authorization: 'Bearer alice-token' }).own,
      keysOf({ 'x-api-key': 'alice-key' }).own,
      keysOf({}, jwt({ client_id: 'svc-a' })).own,
      keysOf({}, jwt({ client_id: 'svc-b' })).own,
      keysOf({ cookie: 'session=alice-secret' }, jwt({ client_id: 'svc-a' })).own,
    ];
    expect(new Set(owns).size).toBe(owns.length);
    expect(keysOf({ cookie: 'session=alice-secret' }).own).toBe(alice.own);
    expect(keysOf({}, jwt({ client_id: 'svc-a' })).credentialed).toBe(true);
    for (const own of owns) for (const secret of ['alice-secret', 'alice-token', 'alice-key', 'svc-a']) expect(own).not.toContain(secret);
  });
});
