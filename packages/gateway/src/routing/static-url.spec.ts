import { unsafeStaticUrlPath } from './static-url.js';

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
