/**
 * Header pairs as undici hands them to a dispatch handler (`[name, value, ...]`) as `IncomingHttpHeaders`: names
 * lower-cased, a repeated header as an array. `__proto__` is dropped (no HTTP semantics, and it would not be an
 * own property). Exported by `@nestmesh/client/relay`.
 */
export function parseRawHeaders(raw: readonly Buffer[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index].toString('latin1').toLowerCase();
    if (name === '__proto__') continue;
    const value = raw[index + 1].toString('latin1');
    if (!Object.hasOwn(headers, name)) headers[name] = value;
    else {
      const previous = headers[name];
      if (Array.isArray(previous)) previous.push(value);
      else headers[name] = [previous, value];
    }
  }
  return headers;
}
