import { RetryBudget } from './retry-budget.js';

describe('RetryBudget', () => {
  it('allows percent of requests plus the per-second floor over the window, then refuses', () => {
    let now = 0;
    const budget = new RetryBudget({ percent: 20, minRetriesPerSecond: 1, window: 10_000 }, () => now);
    for (let i = 0; i < 100; i++) budget.recordRequest();
    let granted = 0;
    while (budget.tryRetry()) granted++;
    // 20% of 100 plus 1/s over 10 s.
    expect(granted).toBe(30);
    now = 10_500;
    // The window slid past every earlier slot: only the floor is left.
    granted = 0;
    while (budget.tryRetry()) granted++;
    expect(granted).toBe(10);
  });

  it('a zero floor and no requests means no retries', () => {
    const budget = new RetryBudget({ percent: 20, minRetriesPerSecond: 0, window: 10_000 }, () => 0);
    expect(budget.tryRetry()).toBe(false);
  });

  it('counts a time older than its current slot in that slot, never moving the window back', () => {
    let now = 5_500;
    const budget = new RetryBudget({ percent: 20, minRetriesPerSecond: 1, window: 10_000 }, () => now);
    for (let i = 0; i < 100; i++) budget.recordRequest();
    // A reading taken before the slot changed (the time the call started), then one from the clock.
    budget.recordRequest(4_900);
    now = 4_950;
    budget.recordRequest();
    now = 5_600;
    let granted = 0;
    while (budget.tryRetry()) granted++;
    // 20% of 102 plus 1/s over 10 s: the 100 requests of slot 5 were not dropped.
    expect(granted).toBe(30);
  });
});
