/**
 * A value as an error message shows it: strings quoted, numbers as written (`NaN`, not JSON's `null`), functions
 * by name, regular expressions as written, anything else as JSON (or its tag when it cannot be). @internal
 *
 * @example
 * describeValue('1s'); // '"1s"'
 * describeValue(Number.NaN); // 'NaN'
 * describeValue(() => 1); // 'function (anonymous)'
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (value instanceof RegExp || typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
