import { jest } from '@jest/globals';
import { withTimeout } from './with-timeout.js';

describe('withTimeout', () => {
  afterEach(() => jest.useRealTimers());

  it('settles like the work when it settles first, and clears its timer', async () => {
    jest.useFakeTimers();
    await expect(withTimeout(Promise.resolve('done'), 1_000, () => 'late')).resolves.toBe('done');
    await expect(withTimeout(Promise.reject(new Error('boom')), 1_000, () => 'late')).rejects.toThrow('boom');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('settles like onTimeout when the time runs out first: its value, or what it throws', async () => {
    jest.useFakeTimers();
    const never = new Promise<string>(() => undefined);
    const value = withTimeout(never, 500, () => 'expired');
    const thrown = withTimeout(never, 500, () => {
      throw new Error('no answer within 500 ms');
    });
    jest.advanceTimersByTime(499);
    await Promise.resolve();
    jest.advanceTimersByTime(1);
    await expect(value).resolves.toBe('expired');
    await expect(thrown).rejects.toThrow('no answer within 500 ms');
  });

  it('gives up on work that never settles (moved from discovery: the registrar\'s withDeadline)', async () => {
    await expect(withTimeout(new Promise(() => undefined), 10, () => undefined)).resolves.toBeUndefined();
    await expect(withTimeout(Promise.resolve(7), 1_000, () => undefined)).resolves.toBe(7);
  });

  it('treats a negative delay as 0', async () => {
    await expect(withTimeout(new Promise<string>(() => undefined), -5, () => 'expired')).resolves.toBe('expired');
  });
});
