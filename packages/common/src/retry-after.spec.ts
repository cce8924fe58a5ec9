import { retryAfterMs } from './retry-after.js';

describe('retryAfterMs', () => {
  it('reads ms, a Date, delay-seconds and an HTTP date (the first of a list)', () => {
    expect(retryAfterMs(250)).toBe(250);
    expect(retryAfterMs(new Date(2_000), 500)).toBe(1_500);
    expect(retryAfterMs('2')).toBe(2_000);
    expect(retryAfterMs(['3', '9'])).toBe(3_000);
    expect(retryAfterMs(new Date(61_000).toUTCString(), 1_000)).toBe(60_000);
  });

  it('gives undefined for nothing to wait: absent, unreadable, zero, negative or past', () => {
    for (const hint of [undefined, null, '', ' ', 'soon', 0, -1, '0', Number.NaN, Infinity, new Date(0), {}]) expect(retryAfterMs(hint, 1_000)).toBeUndefined();
  });
});
