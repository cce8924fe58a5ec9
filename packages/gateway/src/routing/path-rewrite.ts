import type { RoutePattern } from './route-pattern.js';

/** Builds the upstream path (percent-encoded) from the request's encoded segments and the match. @internal */
export type PathRewriter = (encodedSegments: readonly string[], params: Readonly<Record<string, string>>, consumed: number) => string;

const encodeSegment = (segment: string) => encodeURIComponent(segment).replace(/%3A|%40|%24|%26|%2B|%2C|%3B|%3D/g, (code) => decodeURIComponent(code));

/**
 * The rewriter of a route: none (the path as is), `{ stripPrefix }` (whole leading segments removed), or a
 * template with `:name` and `*`. Returns a string describing the problem when the rewrite cannot work with
 * the route's pattern. @internal
 */
export function compileRewrite(rewrite: unknown, pattern: RoutePattern, basePath: string): PathRewriter | string {
  const join = (path: string) => (basePath === '' ? path : `${basePath}${path === '/' ? '' : path}` || '/');
  if (rewrite === undefined) return (segments) => join(`/${segments.join('/')}`);
  if (typeof rewrite === 'object' && rewrite !== null && typeof (rewrite as { stripPrefix?: unknown }).stripPrefix === 'string') {
    const strip = (rewrite as { stripPrefix: string }).stripPrefix.replace(/\/$/, '');
    const stripped = strip === '' ? [] : strip.split('/').slice(1);
    if (!strip.startsWith('/') && strip !== '') return `stripPrefix ${JSON.stringify(strip)} must start with "/"`;
    const literals = pattern.segments.slice(0, stripped.length);
    if (literals.length < stripped.length || literals.some((segment, index) => segment.kind !== 'literal' || segment.value !== stripped[index].toLowerCase())) {
      return `stripPrefix ${JSON.stringify(strip)} is not a literal beginning of the route's path ${JSON.stringify(pattern.source)}`;
    }
    return (segments) => join(`/${segments.slice(stripped.length).join('/')}`);
  }
  if (typeof rewrite !== 'string' || !rewrite.startsWith('/')) return `rewrite ${JSON.stringify(rewrite)} must be { stripPrefix: '/x' } or a template starting with "/"`;
  const parts = rewrite.split('/').slice(1);
  const names = new Set(pattern.segments.flatMap((segment) => (segment.kind === 'param' ? [segment.name] : [])));
  for (const part of parts) {
    if (part.startsWith(':') && !names.has(part.slice(1))) return `rewrite ${JSON.stringify(rewrite)} uses ":${part.slice(1)}", which the route's path does not capture`;
    if (part === '*' && !pattern.wildcard) return `rewrite ${JSON.stringify(rewrite)} uses "*", but the route's path has no wildcard`;
  }
  return (segments, params, consumed) => {
    const out = parts.flatMap((part) => {
      if (part === '*') return segments.slice(consumed);
      if (part.startsWith(':')) return [encodeSegment(params[part.slice(1)])];
      return [part];
    });
    return join(`/${out.join('/')}`);
  };
}
