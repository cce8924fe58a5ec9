import { backoffDelay, sleep } from './sleep.js';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, with half of it random', () => {
    expect(backoffDelay(1, 100, 1_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 1_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 1_000, () => 1)).toBe(400);
    expect(backoffDelay(10, 100, 1_000, () => 1)).toBe(1_000);
    expect(backoffDelay(10, 100, 1_000, () => 0)).toBe(500);
  });
});

describe('sleep', () => {
  it('sleep ends at once when its signal aborts', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBeUndefined();
  });
});
