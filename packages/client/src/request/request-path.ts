import { ServiceClientConfigurationError } from '../errors/service-client-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import type { ServiceRequestOptions } from '../interfaces/service-request.interface.js';

/** @internal `path` with `query` appended, after checking that it is a path (not a URL). */
export function buildPath(path: unknown, query: ServiceRequestOptions['query'], where: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new ServiceClientConfigurationError(
      messages.invalidOption(where, 'path', path, 'Pass a path on the instance starting with "/", e.g. "/orders/42" (the client picks the host).'),
    );
  }
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  const search = params.toString();
  if (search === '') return path;
  return `${path}${path.includes('?') ? '&' : '?'}${search}`;
}
