/** One segment of a compiled pattern (a literal in lower case: literals match regardless of case). @internal */
export type PatternSegment = { kind: 'literal'; value: string } | { kind: 'param'; name: string };

/** A compiled path pattern. @internal */
export interface RoutePattern {
  /** The pattern as written. */
  readonly source: string;
  readonly segments: readonly PatternSegment[];
  /** True when the pattern ends in `*` (or is a prefix): the rest of the path, zero or more segments. */
  readonly wildcard: boolean;
}

const PARAM = /^:([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * Compiles `'/api/orders/:id'`, `'/api/orders/*'` (or a prefix, `wildcard` set) into segments; returns a
 * string describing the problem when the pattern is invalid. @internal
 */
export function compilePattern(source: string, prefix: boolean): RoutePattern | string {
  if (typeof source !== 'string' || !source.startsWith('/')) return 'it must be a string starting with "/"';
  const raw = source === '/' ? [] : source.replace(/\/$/, '').split('/').slice(1);
  let wildcard = prefix;
  const segments: PatternSegment[] = [];
  for (const [index, segment] of raw.entries()) {
    if (segment === '*' && !prefix && index === raw.length - 1) {
      wildcard = true;
      continue;
    }
    if (segment === '' || segment === '.' || segment === '..') return `it has an empty or dot segment ("${segment}")`;
    if (segment.includes('*')) return prefix ? 'a prefix takes no "*" (it already matches everything below it)' : '"*" may only be the whole last segment';
    if (/[?#%\\]/.test(segment)) return `segment "${segment}" holds "?", "#", "%" or "\\": write the decoded path without a query`;
    const param = PARAM.exec(segment);
    if (param) {
      if (prefix) return 'a prefix takes no ":param" (use path: "/x/:id/*")';
      if (segments.some((s) => s.kind === 'param' && s.name === param[1])) return `parameter ":${param[1]}" appears twice`;
      segments.push({ kind: 'param', name: param[1] });
    } else if (segment.startsWith(':')) return `parameter "${segment}" is not a valid name (letters, digits, "_")`;
    else segments.push({ kind: 'literal', value: segment.toLowerCase() });
  }
  return { source, segments, wildcard };
}

/**
 * The parameters captured from the segments of a normalised path (`'/a/b/'` → `['a', 'b', '']`), or `undefined`
 * when the pattern does not match; a match consumes the first `pattern.segments.length` segments (the wildcard's
 * rest starts there). A pattern without wildcard also matches its path with a trailing slash; literals match in
 * any letter case. @internal
 */
export function matchPattern(pattern: RoutePattern, segments: readonly string[]): Record<string, string> | undefined {
  const { segments: expected, wildcard } = pattern;
  const length = segments.length > 0 && segments.at(-1) === '' ? segments.length - 1 : segments.length;
  if (length < expected.length || (!wildcard && length !== expected.length)) return undefined;
  let params: Record<string, string> | undefined;
  for (let index = 0; index < expected.length; index += 1) {
    const want = expected[index];
    const have = segments[index];
    if (want.kind === 'literal') {
      // As Express (NestJS's default) routes: "/api/ADMIN" must not pass a public "/api" by the rules of "/api/admin".
      if (want.value !== have && want.value !== have.toLowerCase()) return undefined;
    } else {
      (params ??= {})[want.name] = have;
    }
  }
  return params ?? {};
}

/** Ranks of segment kinds, most specific first: literal, parameter, end of an exact path, wildcard. */
const RANK = { literal: 4, param: 3, end: 2, wildcard: 1 } as const;

/** Per-position ranks of a pattern, for ordering routes most specific first. @internal */
export function patternRanks(pattern: RoutePattern): number[] {
  return [...pattern.segments.map((segment) => RANK[segment.kind]), pattern.wildcard ? RANK.wildcard : RANK.end];
}

/** A key equal for two patterns that match exactly the same paths. @internal */
export function patternShape(pattern: RoutePattern): string {
  return `${pattern.segments.map((segment) => (segment.kind === 'literal' ? `=${segment.value}` : ':')).join('/')}${pattern.wildcard ? '/*' : ''}`;
}
