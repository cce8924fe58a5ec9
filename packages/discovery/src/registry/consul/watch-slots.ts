/** One holder of a slot: how to ask it to give the slot back early. */
interface Holder {
  preempt?: () => void;
  preempted: boolean;
}

/**
 * Slots for blocking queries (one connection each). With all taken, the next watch queues (first come, first
 * served) and the oldest long query is asked to end early, so crowded watches take turns instead of starving. @internal
 */
export class WatchSlots {
  private readonly holders: Holder[] = [];
  private readonly queue: Array<() => void> = [];
  private watches = 0;

  constructor(readonly size: number) {}

  /** True while more watches share the slots than there are slots: blocking queries then wait less long. */
  get crowded(): boolean {
    return this.watches > this.size;
  }

  /** Counts a watch in (for {@link crowded}); call the returned function when it ends. */
  join(): () => void {
    this.watches += 1;
    let left = false;
    return () => {
      if (!left) this.watches -= 1;
      left = true;
    };
  }

  /**
   * Resolves with a release function once a slot is free, or with `undefined` when `signal` aborts first.
   * `preempt` (given for long blocking queries) is called at most once when another watch waits for a slot.
   */
  acquire(signal: AbortSignal, preempt?: () => void): Promise<(() => void) | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    const holder: Holder = { preempt, preempted: false };
    const release = () => this.release(holder);
    if (this.holders.length < this.size) {
      this.holders.push(holder);
      return Promise.resolve(release);
    }
    return new Promise((resolve) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        this.holders.push(holder);
        resolve(release);
      };
      const onAbort = () => {
        const at = this.queue.indexOf(grant);
        if (at >= 0) this.queue.splice(at, 1);
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(grant);
      const oldest = this.holders.find((candidate) => candidate.preempt && !candidate.preempted);
      if (oldest) {
        oldest.preempted = true;
        oldest.preempt?.();
      }
    });
  }

  private release(holder: Holder): void {
    const at = this.holders.indexOf(holder);
    if (at < 0) return;
    this.holders.splice(at, 1);
    this.queue.shift()?.();
  }
}
