import { SharedByKey } from './shared-by-key.js';

describe('SharedByKey', () => {
  it('makes one value per key, closes it at the last release, and counts a repeated release once', () => {
    const closed: string[] = [];
    let made = 0;
    const shared = new SharedByKey<string>((value) => closed.push(value));
    const create = () => `value-${(made += 1)}`;
    const first = shared.acquire('a', create);
    const second = shared.acquire('a', create);
    expect([first.value, second.value, made]).toEqual(['value-1', 'value-1', 1]);
    first.release();
    first.release();
    expect(closed).toEqual([]);
    second.release();
    expect(closed).toEqual(['value-1']);
    expect(shared.acquire('a', create).value).toBe('value-2');
  });
});
