import { WatchSlots } from './watch-slots.js';

describe('WatchSlots', () => {
  it('grants up to its size, queues the rest first come first served, and asks a long holder to yield', async () => {
    const slots = new WatchSlots(2);
    const never = new AbortController().signal;
    const preempted: string[] = [];
    const a = await slots.acquire(never, () => preempted.push('a'));
    const b = await slots.acquire(never);
    const order: string[] = [];
    const c = slots.acquire(never).then((release) => (order.push('c'), release));
    const d = slots.acquire(never).then((release) => (order.push('d'), release));
    expect(preempted).toEqual(['a']); // b holds a short query: never preempted; a only once
    a!();
    b!();
    await Promise.all([c, d]);
    expect(order).toEqual(['c', 'd']);
  });

  it('gives up waiting when the signal aborts, and counts crowding by watches', async () => {
    const slots = new WatchSlots(1);
    const leave = [slots.join(), slots.join()];
    expect(slots.crowded).toBe(true);
    leave[0]();
    leave[0]();
    expect(slots.crowded).toBe(false);
    await slots.acquire(new AbortController().signal);
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort();
    expect(await waiting).toBeUndefined();
  });
});
