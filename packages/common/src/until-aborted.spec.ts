import { lastValueUntilAborted, untilAborted, type SubscribableLike } from './until-aborted.js';

describe('untilAborted', () => {
  it('settles like the work when it settles first, and removes its listener', async () => {
    const controller = new AbortController();
    await expect(untilAborted(Promise.resolve('done'), controller.signal)).resolves.toBe('done');
    await expect(untilAborted(Promise.reject(new Error('boom')), controller.signal)).rejects.toThrow('boom');
    controller.abort();
    await expect(untilAborted(Promise.resolve('late listener'), new AbortController().signal)).resolves.toBe('late listener');
  });

  it('rejects at once with the reason (or abortError()) when the signal aborts first, and absorbs the late settlement', async () => {
    const controller = new AbortController();
    let fail!: (error: Error) => void;
    const work = new Promise<string>((_, reject) => (fail = reject));
    const raced = untilAborted(work, controller.signal);
    const reason = new Error('the caller gave up');
    controller.abort(reason);
    await expect(raced).rejects.toBe(reason);
    fail(new Error('late'));
    await expect(untilAborted(new Promise(() => undefined), AbortSignal.abort(), () => new Error('own error'))).rejects.toThrow('own error');
  });
});

/** A hand-made source: emits `values` then completes when told, and records its subscriptions. */
function source(values: number[]) {
  const state = { subscribed: 0, unsubscribed: 0, complete: () => undefined as void };
  const subscribable: SubscribableLike<number> = {
    subscribe(observer) {
      state.subscribed += 1;
      let closed = false;
      state.complete = () => {
        for (const value of values) observer.next(value);
        closed = true;
        observer.complete();
      };
      return {
        unsubscribe: () => {
          closed = true;
          state.unsubscribed += 1;
        },
        get closed() {
          return closed;
        },
      };
    },
  };
  return { subscribable, state };
}

describe('lastValueUntilAborted', () => {
  it('resolves with the last value once the source completes', async () => {
    const { subscribable, state } = source([1, 2, 3]);
    const last = lastValueUntilAborted(subscribable, new AbortController().signal);
    state.complete();
    await expect(last).resolves.toBe(3);
  });

  it('unsubscribes and rejects when the signal aborts first; subscribes nothing once aborted', async () => {
    const { subscribable, state } = source([1]);
    const controller = new AbortController();
    const last = lastValueUntilAborted(subscribable, controller.signal, () => new Error('cancelled'));
    controller.abort();
    await expect(last).rejects.toThrow('cancelled');
    expect(state.unsubscribed).toBe(1);
    const reason = new Error('gone');
    await expect(lastValueUntilAborted(subscribable, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(state.subscribed).toBe(1);
  });
});
