import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledRoute } from './compiled-route.js';
import { matchPattern } from './route-pattern.js';

/** A route chosen for a request, with what its pattern captured. @internal */
export interface RouteMatch {
  readonly route: CompiledRoute;
  readonly params: Readonly<Record<string, string>>;
  readonly consumed: number;
}

/** The host of a request, lower-case and without port. */
function hostOf(headers: IncomingHttpHeaders): string {
  const host = headers.host ?? '';
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.indexOf(':');
  const name = end > 0 ? host.slice(0, end) : host;
  // A fully qualified name's root dot names the same host (`api.example.com.`): it must not skip that host's routes.
  return (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
}

/**
 * The routes, most specific first; a request goes to the first that matches its (normalised) path, method,
 * host and headers. @internal
 */
export class RouteTable {
  constructor(readonly routes: readonly CompiledRoute[]) {}

  match(method: string, segments: readonly string[], headers: IncomingHttpHeaders): RouteMatch | undefined {
    let host: string | undefined;
    for (const route of this.routes) {
      if (route.methods && !route.methods.has(method)) continue;
      const params = matchPattern(route.pattern, segments);
      if (!params) continue;
      if (route.host && !route.host((host ??= hostOf(headers)))) continue;
      if (route.headers.length > 0 && !route.headers.every(([name, test]) => test(headers[name]))) continue;
      return { route, params, consumed: route.pattern.segments.length };
    }
    return undefined;
  }
}
