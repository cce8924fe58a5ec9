/**
 * Finding option keys that are not known, and the valid key the writer most likely meant. Options that come
 * from `forRootAsync()` factories, JSON or environment-driven configuration get no type check, so this is the
 * only guard against a typo silently changing behaviour (`auht: 'jwt'` leaving a route public).
 */

/** An unknown key of an options object, where it is, and the closest valid key when one is close enough. @internal */
export interface UnknownKey {
  /** The key as written. */
  readonly key: string;
  /** The key with the path of its object, e.g. `watch.wiat` (the key alone at the top level). */
  readonly path: string;
  /** The valid key it most likely meant (case-insensitive edit distance), if one is close enough. */
  readonly suggestion?: string;
  /** The valid keys of that object. */
  readonly known: readonly string[];
}

/**
 * Optimal-string-alignment (restricted Damerau-Levenshtein) distance: insertions, deletions, substitutions and
 * transpositions of two neighbours each count 1. @internal
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The valid key closest to `key` (case-insensitive), when it is close enough to be a likely typo: at most a third
 * of the longer key's length in edits (at least 1), or one key containing the other (`trustedProxy` /
 * `trustedProxies`). Ties go to the first in `known`. @internal
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const wanted = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(wanted, lower);
    const bound = Math.max(1, Math.floor(Math.max(wanted.length, lower.length) / 3));
    const related = wanted.length >= 3 && lower.length >= 3 && (lower.startsWith(wanted) || wanted.startsWith(lower));
    if ((distance <= bound || related) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The first own key of `options` that is not in `known`, with its path (`path` is the object's, e.g. `'watch.'`)
 * and the closest valid key, or `undefined` when every key is known (or `options` is not an object: the caller
 * checks its type). Symbol keys are ignored. @internal
 *
 * @example
 * findUnknownKey({ wiat: '1s' }, ['wait', 'linger'], 'watch.') // { key: 'wiat', path: 'watch.wiat', suggestion: 'wait', known }
 */
export function findUnknownKey(options: unknown, known: readonly string[], path = ''): UnknownKey | undefined {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return undefined;
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) return { key, path: `${path}${key}`, suggestion: closestKey(key, known), known };
  }
  return undefined;
}

/**
 * The message for an unknown key: where, the key with its path, the closest valid key (or the valid ones), and why
 * unknown keys are refused (`consequence`, after "so that"). @internal
 *
 * @example
 * unknownOptionMessage('ServiceDiscoveryModule', findUnknownKey(options, KEYS)!)
 * // 'ServiceDiscoveryModule: unknown option "wacth". Did you mean "watch"? Valid options: ... Unknown options are refused ...'
 */
export function unknownOptionMessage(where: string, unknown: Pick<UnknownKey, 'path' | 'suggestion' | 'known'>, consequence = 'a typo cannot change behaviour unnoticed'): string {
  const { path, suggestion, known } = unknown;
  const hint = suggestion === undefined ? 'Remove it, or use one of the valid options' : `Did you mean ${JSON.stringify(suggestion)}? Valid options`;
  return `${where}: unknown option ${JSON.stringify(path)}. ${hint}: ${known.join(', ')}. Unknown options are refused so that ${consequence}.`;
}

/**
 * The key list of an options interface `T`, checked by the compiler: every key of `T` must be listed (and only
 * those, plus `Extra`, keys that other code adds in parallel), so the list cannot drift from the interface. @internal
 *
 * @example
 * const KEYS = optionKeys<PoolOptions>()({ connections: true, keepAliveTimeout: true, connectTimeout: true, closeTimeout: true });
 */
export function optionKeys<T, Extra extends string = never>(): (keys: { readonly [K in keyof T | Extra]-?: true }) => readonly string[] {
  return (keys) => Object.freeze(Object.keys(keys));
}
