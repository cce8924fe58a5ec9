import { describe, expect, it } from '@jest/globals';
import { CircuitState } from 'cockatiel';
import { WindowBreaker, decimalFraction } from './window.breaker.js';

describe('WindowBreaker', () => {
  const clock = { now: 0 };
  const breaker = (rate: number, window: number, minimum: number) => new WindowBreaker(rate, window, minimum, () => clock.now);

  it.each([
    [0.3, 10, 3],
    [0.1, 10, 1],
    [0.7, 10, 7],
    [0.35, 20, 7],
    [0.5, 30, 15],
  ])('failureRate %d over %d calls opens at exactly %d failures', (rate, calls, failures) => {
    clock.now = 0;
    const subject = breaker(rate, 1_000, calls);
    for (let i = 0; i < calls - failures; i++) subject.success(CircuitState.Closed);
    for (let i = 1; i < failures; i++) expect(subject.failure(CircuitState.Closed)).toBe(false);
    expect(subject.failure(CircuitState.Closed)).toBe(true);
  });

  it('only counts the calls of the last window', () => {
    clock.now = 0;
    const subject = breaker(0.5, 1_000, 4);
    for (let i = 0; i < 3; i++) subject.failure(CircuitState.Closed);
    clock.now = 1_000; // the three failures are exactly one window old: gone
    expect(subject.state).toEqual({ failures: 0, calls: 0 });
    expect(subject.failure(CircuitState.Closed)).toBe(false);
    clock.now = 1_500;
    for (let i = 0; i < 2; i++) expect(subject.failure(CircuitState.Closed)).toBe(false);
    expect(subject.failure(CircuitState.Closed)).toBe(true);
  });

  it('reads rates as the decimal fraction they were written as', () => {
    expect(decimalFraction(0.3)).toEqual([3n, 10n]);
    expect(decimalFraction(0.125)).toEqual([125n, 1000n]);
    expect(decimalFraction(1e-7)).toEqual([1n, 10_000_000n]);
  });
});
