import { BadRequestTargetError, type BadRequestTargetReason } from '../errors/bad-request-target.error.js';
import { messages } from '../errors/messages.constants.js';

/** A request target made unambiguous: what routes and authorization see, and what the upstream receives. */
export interface NormalizedRequestTarget {
  /** An absolute-form target's `host[:port]`: the host it names, `Host` ignored (RFC 9112 §3.2.2). */
  readonly authority?: string;
  /** Decoded path with dot segments resolved and repeated slashes merged: match routes and authorize on this. */
  readonly path: string;
  /** The same path, percent-encoded where RFC 3986 requires it: send this upstream. */
  readonly encodedPath: string;
  /** The raw query, without `?` (`''` when there is none). */
  readonly query: string;
}

// A path needing no decoding or resolution: non-empty segments of plain pchars but ";", none of them "." or "..".
const PLAIN_PATH = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9\-._~!$&'()*+,=:@]+)*\/?$/;
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)(.*)$/s;
// A reg-name or IP literal and an optional port: no userinfo (RFC 9110 §4.2.4), no encoding.
const AUTHORITY = /^(?:[A-Za-z0-9._~!$&'()*+,;=-]+|\[[0-9A-Fa-f:.]+\])(?::([0-9]{0,5}))?$/;
const PERCENT = /%([0-9A-Fa-f]{2})?/g;
// eslint-disable-next-line no-control-regex -- controls are what it looks for
const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;
// Characters RFC 3986 allows unencoded in a path segment besides what encodeURIComponent keeps.
const PCHAR_EXTRA: Record<string, string> = { '%3A': ':', '%40': '@', '%24': '$', '%26': '&', '%2B': '+', '%2C': ',', '%3D': '=' };

/**
 * Whether `value` is a plain `host[:port]` (RFC 9112 §3.2: what `Host` and an absolute-form target may hold): a
 * reg-name or IP literal, no userinfo, path or encoding, no empty label (`a..b`: one root dot is all a name may end
 * in), a port up to 65535. @internal
 */
export function isPlainAuthority(value: string): boolean {
  const match = AUTHORITY.exec(value);
  return match !== null && !value.includes('..') && (match[1] === undefined || match[1] === '' || Number(match[1]) <= 65_535);
}

const refuse = (reason: BadRequestTargetReason, target: string): never => {
  throw new BadRequestTargetError(messages.badRequestTarget(reason, target), reason);
};

/** Decodes one path segment, refusing every encoding that two servers could read differently. */
function decodeSegment(segment: string, target: string): string {
  let decoded = segment; // printable ASCII already checked: nothing to decode without '%'
  if (segment.includes('%')) {
    for (const match of segment.matchAll(PERCENT)) {
      const hex = match[1]?.toUpperCase();
      if (!hex) refuse('invalid-encoding', target);
      if (hex === '2F') refuse('encoded-slash', target);
      if (hex === '5C') refuse('encoded-backslash', target);
    }
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      refuse('invalid-encoding', target); // not UTF-8
    }
    if (CONTROL_CHARACTER.test(decoded)) refuse('control-character', target);
    if (/%[0-9A-Fa-f]{2}/.test(decoded)) refuse('double-encoding', target); // "%252e", "%25%32%65": still encoded
  }
  // Some servers (Tomcat, Jetty) read "..;x" as "..", and "admin;x" as "admin": a traversal, or another route,
  // that this edge would not see. Path parameters are refused, as Spring Security's firewall does.
  if (/^\.\.?;/.test(decoded)) refuse('dot-segment-parameter', target);
  if (decoded.includes(';')) refuse('path-parameter', target);
  return decoded;
}

const encodeSegment = (segment: string) => encodeURIComponent(segment).replace(/%3A|%40|%24|%26|%2B|%2C|%3D/g, (code) => PCHAR_EXTRA[code]);

/**
 * Normalises a request target before routing and authorization: percent-decoding (refusing encoded `/` and
 * `\`, raw `\`, broken, double (`%25xx`) or non-UTF-8 encodings and control characters with a
 * {@link BadRequestTargetError}; path parameters (`;`) too), merging repeated slashes and resolving `.` and `..` (RFC 3986 §5.2.4, never
 * above the root). An absolute-form target (`http://host/path`) is split into its `authority` (a plain
 * `host[:port]`, else refused) and its path and query; `//host/path` is a path like any other.
 *
 * @example
 * normalizeRequestTarget('/api/orders/../../admin//health?x=1')
 * // { path: '/admin/health', encodedPath: '/admin/health', query: 'x=1' }
 */
export function normalizeRequestTarget(target: string): NormalizedRequestTarget {
  if (typeof target !== 'string' || target.length === 0) return refuse('empty', String(target));
  let rest = target;
  let authority: string | undefined;
  if (!rest.startsWith('/')) {
    const absolute = ABSOLUTE_FORM.exec(rest);
    if (!absolute) return refuse('not-origin-form', target);
    if (!isPlainAuthority(absolute[1])) refuse('invalid-authority', target);
    authority = absolute[1];
    rest = absolute[2].startsWith('/') ? absolute[2] : `/${absolute[2]}`;
  }
  // Everything must arrive percent-encoded: no spaces, controls or raw non-ASCII bytes.
  if (/[^\x21-\x7e]/.test(rest)) refuse('invalid-character', target);
  if (rest.includes('#')) refuse('fragment', target);
  const mark = rest.indexOf('?');
  const rawPath = mark === -1 ? rest : rest.slice(0, mark);
  const query = mark === -1 ? '' : rest.slice(mark + 1);
  if (PLAIN_PATH.test(rawPath)) return { authority, path: rawPath, encodedPath: rawPath, query }; // the common case, already normal
  if (rawPath.includes('\\')) refuse('backslash', target);

  const segments = rawPath.split('/').slice(1).map((raw) => decodeSegment(raw, target));
  const output: string[] = [];
  for (const segment of segments) {
    if (segment === '..') output.pop();
    else if (segment !== '.' && segment !== '') output.push(segment);
  }
  // "/a/b/", "/a/b/." and "/a/b/c/.." all name the directory "/a/b/".
  const suffix = output.length > 0 && ['', '.', '..'].includes(segments.at(-1)!) ? '/' : '';
  return {
    authority,
    path: `/${output.join('/')}${suffix}`,
    encodedPath: `/${output.map(encodeSegment).join('/')}${suffix}`,
    query,
  };
}
