import { isHeaderName, isHeaderValue, isNumberIn, isObject, isPort, isServiceName } from './option-values.js';

describe('shared option values', () => {
  it.each([
    [5, { min: 1 }, true],
    [1, { min: 1, exclusiveMin: true }, false],
    [1.5, { min: 1, integer: true }, false],
    [11, { min: 1, max: 10 }, false],
    [Number.NaN, { min: 0 }, false],
    [Number.POSITIVE_INFINITY, { min: 0 }, false],
    ['5', { min: 1 }, false],
  ])('isNumberIn(%p, %p) is %p', (value, range, expected) => {
    expect(isNumberIn(value, range)).toBe(expected);
  });

  it.each([[1, true], [65_535, true], [0, false], [65_536, false], [80.5, false], ['80', false]])('isPort(%p) is %p', (value, expected) => {
    expect(isPort(value)).toBe(expected);
  });

  it.each([[{}, true], [[], false], [null, false], ['x', false]])('isObject(%p) is %p', (value, expected) => {
    expect(isObject(value)).toBe(expected);
  });

  it.each(['orders', 'order-api', 'A1', 'a'.repeat(63)])('accepts the service name %p', (name) => {
    expect(isServiceName(name)).toBe(true);
  });

  it.each(['', '-orders', 'orders-', 'order_api', 'a.b_c', 'a.b', 'or ders', 'a'.repeat(64), 42, undefined])('refuses the service name %p', (name) => {
    expect(isServiceName(name)).toBe(false);
  });

  it.each([['x-user', true], ["!#$%&'*+-.^_`|~09aZ", true], ['', false], ['x user', false], ['x:y', false], ['é', false]])('isHeaderName(%p) is %p', (name, expected) => {
    expect(isHeaderName(name)).toBe(expected);
  });

  it.each([['a b\tc', true], ['', true], ['caf\u00e9', true], ['a\r\nb', false], ['a\nb', false], ['a\u0000b', false], ['a\u007fb', false], ['\u0100', false], [1, false]])('isHeaderValue(%p) is %p', (value, expected) => {
    expect(isHeaderValue(value)).toBe(expected);
  });
});
