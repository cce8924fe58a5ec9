/**
 * Why the path of a static upstream `url` would not reach the upstream as written, or `undefined` when it would.
 * `new URL()` resolves dot segments (also percent-encoded ones, in any case) and reads `\` as `/`, so
 * `http://h/public/../admin` or `http://h/public/%2e%2e/admin` would silently forward to `/admin/...`; encoded
 * slashes and backslashes are read as separators by many servers. Only the raw string shows them. @internal
 *
 * @example
 * unsafeStaticUrlPath('http://10.0.0.5/public/%2E%2E/admin') // 'a dot segment ("%2E%2E")'
 */
export function unsafeStaticUrlPath(url: string): string | undefined {
  // The path as written: after `scheme://authority` (the authority ends at `/`, `\`, `?` or `#`), before `?` or `#`.
  const path = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\\?#]*/, '').replace(/[?#].*$/s, '');
  if (path.includes('\\')) return 'a backslash';
  const encodedSeparator = /%2f|%5c/i.exec(path);
  if (encodedSeparator) return `an encoded slash or backslash ("${encodedSeparator[0]}")`;
  for (const segment of path.split('/')) {
    if (/^(?:\.|%2e){1,2}$/i.test(segment)) return `a dot segment (${JSON.stringify(segment)})`;
  }
  const encodedDot = /%2e/i.exec(path);
  if (encodedDot) return `an encoded dot ("${encodedDot[0]}")`;
  return undefined;
}

/** `value` as an http(s) URL without fragment, credentials, spaces or controls (a static upstream), else `undefined`. @internal */
export function parseStaticUrl(value: unknown): URL | undefined {
  // The URL parser drops tabs and newlines and trims spaces ("/ad\tmin" is "/admin"): a URL with any is refused.
  // eslint-disable-next-line no-control-regex -- controls are what it looks for
  if (/[\x00-\x20\x7f]/.test(String(value))) return undefined;
  const url = URL.parse(String(value));
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  return url.hash || url.username || url.password ? undefined : url;
}
