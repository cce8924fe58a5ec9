/** Values shared by key: made by the first `acquire()`, closed by the last `release()` (each counts once). @internal */
export class SharedByKey<V> {
  private readonly entries = new Map<string, { value: V; users: number }>();

  constructor(private readonly close: (value: V) => void) {}

  /** The value of `key`, made by `create` when there is none yet; call `release` when done with it. */
  acquire(key: string, create: () => V): { value: V; release: () => void } {
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { value: create(), users: 0 }));
    entry.users += 1;
    let released = false;
    return {
      value: entry.value,
      release: () => {
        if (released) return;
        released = true;
        entry.users -= 1;
        if (entry.users > 0 || this.entries.get(key) !== entry) return;
        this.entries.delete(key);
        this.close(entry.value);
      },
    };
  }
}
