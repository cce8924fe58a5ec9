import { parseStaticUrl, unsafeStaticUrlPath } from './static-url.js';

describe('unsafeStaticUrlPath', () => {
  it.each([
    ['http://10.0.0.5:8080', undefined],
    ['http://10.0.0.5:8080/', undefined],
    ['http://10.0.0.5:8080/v1.0/base', undefined],
    ['https://api.example.com/v1/..data', undefined],
    ['http://10.0.0.5/public/../admin', 'a dot segment ("..")'],
    ['http://10.0.0.5/public/./admin', 'a dot segment (".")'],
    ['http://10.0.0.5/public/..', 'a dot segment ("..")'],
    ['http://10.0.0.5/public/%2e%2e/admin', 'a dot segment ("%2e%2e")'],
    ['http://10.0.0.5/public/%2E%2E/admin', 'a dot segment ("%2E%2E")'],
    ['http://10.0.0.5/public/.%2E/admin', 'a dot segment (".%2E")'],
    ['http://10.0.0.5/public/%2e/admin', 'a dot segment ("%2e")'],
    ['http://10.0.0.5/v%2e1', 'an encoded dot ("%2e")'],
    ['http://10.0.0.5/public%2Fadmin', 'an encoded slash or backslash ("%2F")'],
    ['http://10.0.0.5/public%5cadmin', 'an encoded slash or backslash ("%5c")'],
    ['http://10.0.0.5/public\\admin', 'a backslash'],
    ['http://10.0.0.5\\admin', 'a backslash'],
  ])('%p: %p', (url, reason) => {
    expect(unsafeStaticUrlPath(url)).toBe(reason);
  });
});

describe('parseStaticUrl', () => {
  it.each(['http://127.0.0.1:8080', 'https://api.example.com/v1', 'HTTP://127.0.0.1'])('takes the http(s) URL %p', (value) => {
    expect(parseStaticUrl(value)?.href).toBe(new URL(value).href);
  });

  // Credentials would ride along to the upstream on every request; a fragment is never sent: both are refused.
  it.each([
    'ftp://127.0.0.1/x',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'http://user:secret@127.0.0.1:8080',
    'http://user@127.0.0.1:8080',
    'http://127.0.0.1:8080/v1#admin',
    // The URL parser drops tabs and newlines: "/ad\tmin" would call "/admin".
    'http://127.0.0.1:8080/ad\tmin',
    'http://127.0.0.1:8080/v1?a=1\n',
    'http://127.0.0.1:8080/v 1',
    ' http://127.0.0.1:8080',
    'not a url',
    '',
    undefined,
    42,
  ])('refuses %p', (value) => {
    expect(parseStaticUrl(value)).toBeUndefined();
  });
});
