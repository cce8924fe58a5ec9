import { toConsulDuration, toMilliseconds } from './duration.js';

describe('toMilliseconds', () => {
  it.each([
    [250, 250],
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1_500],
    ['1m', 60_000],
    ['2h', 7_200_000],
  ] as const)('%p is %p ms', (input, ms) => {
    expect(toMilliseconds(input, 'x', 0)).toBe(ms);
  });

  it("accepts up to Node's largest timer, 2^31-1 ms", () => {
    expect(toMilliseconds(2 ** 31 - 1, 'x', 0)).toBe(2 ** 31 - 1);
    expect(toMilliseconds('596h', 'x', 0)).toBe(2_145_600_000);
  });

  // Node fires a longer timer after 1 ms.
  it.each([2 ** 31, '600h', '2147483648ms'])('refuses %p, longer than Node timers go, naming the option, the value and the bound', (input) => {
    expect(() => toMilliseconds(input as never, 'watch.initialTimeout', 0)).toThrow(/^Invalid duration for "watch\.initialTimeout": .*2147483647/);
  });

  it('uses the fallback when unset', () => {
    expect(toMilliseconds(undefined, 'x', 42)).toBe(42);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '10', '10 seconds', '-5s', ''])('refuses %p, naming the option and the value', (input) => {
    expect(() => toMilliseconds(input as never, 'check.ttl', 0)).toThrow(/Invalid duration for "check\.ttl": /);
  });
});

describe('toConsulDuration', () => {
  it('writes whole seconds as seconds and the rest as milliseconds', () => {
    expect(toConsulDuration(60_000)).toBe('60s');
    expect(toConsulDuration(1_500)).toBe('1500ms');
  });
});
