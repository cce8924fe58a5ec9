import { untilAborted } from './until-aborted.js';

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
