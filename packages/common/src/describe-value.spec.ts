import { describeValue } from './describe-value.js';

describe('describeValue', () => {
  it.each<[unknown, string]>([
    ['1s', '"1s"'],
    [42, '42'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [undefined, 'undefined'],
    [null, 'null'],
    [true, 'true'],
    [10n, '10'],
    [function named() {}, 'function named'],
    [/a+/i, '/a+/i'],
    [{ a: [1] }, '{"a":[1]}'],
  ])('shows %p as %s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  it('names a value JSON cannot write by its tag', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('[object Object]');
  });
});
