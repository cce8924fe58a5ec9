import { RETRY_DEFAULTS, resolveServiceOptions } from './resolve-service-options.js';

describe('resolveServiceOptions', () => {
  it('takes a retry option set to undefined (as `process.env.X ? Number(...) : undefined` gives) for its default, never for "no retry"', () => {
    expect(resolveServiceOptions('s', {}, { retry: { maxAttempts: undefined, backoff: undefined } }).retry).toEqual(RETRY_DEFAULTS);
    expect(resolveServiceOptions('s', {}, { retry: { maxAttempts: 5, backoff: undefined } }).retry).toEqual({ ...RETRY_DEFAULTS, maxAttempts: 5 });
    expect(resolveServiceOptions('s', {}, { retry: false }).retry).toBe(false);
  });
});
