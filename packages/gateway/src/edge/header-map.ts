/** Headers as Node gives them (`IncomingHttpHeaders`, `OutgoingHttpHeaders`): lower-case names. */
export type HeaderMap = Record<string, string | string[] | number | undefined>;

/** A header's values as a flat list of strings (repeated headers and arrays alike). @internal */
export function headerValues(value: HeaderMap[string]): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}
