/** @internal A deadline the shared timer can end (the call deadline, linked into the list while it runs). */
export interface SharedDeadline {
  /** `performance.now()` time at which it ends. */
  readonly at: number;
  prev: SharedDeadline | undefined;
  next: SharedDeadline | undefined;
  /** Ends it (the timer reached `at`). */
  abort(): void;
}

/** Runs the list's timer (a plain function: no closure). */
function onTimer(list: DeadlineTimers): void {
  list.fire();
}

/**
 * @internal The deadlines of a service's calls that last its `deadline` (`ms`), on one Node timer instead of one
 * per call (profiled: those were most of a call's own CPU after undici). They end in start order: the list keeps
 * it, the timer is armed for its head. A cleared deadline (the usual case) is unlinked at once; the timer then
 * fires once for nothing and re-arms, still exact to the ms. With the list empty it does not keep the process alive.
 */
export class DeadlineTimers {
  private head: SharedDeadline | undefined;
  private tail: SharedDeadline | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The `performance.now()` time the timer is armed for (`Infinity`: not armed). */
  private armedAt = Infinity;

  constructor(readonly ms: number) {}

  /** Adds a deadline that started just now and ends `ms` later (after every one in the list). */
  add(deadline: SharedDeadline): void {
    const tail = this.tail;
    deadline.prev = tail;
    deadline.next = undefined;
    if (tail === undefined) this.head = deadline;
    else tail.next = deadline;
    this.tail = deadline;
    if (this.armedAt === Infinity) {
      // Not armed (never, or it fired with nothing left): armed for this deadline, the list's head.
      this.timer = setTimeout(onTimer, this.ms, this);
      this.armedAt = deadline.at;
    } else if (tail === undefined) {
      // Still armed for a deadline cleared since (sooner than this one): it fires and re-arms for this one.
      this.timer!.ref();
    }
  }

  /** Removes a deadline (its call is over); nothing if it is not in the list (it ended). */
  remove(deadline: SharedDeadline): void {
    const { prev, next } = deadline;
    if (prev === undefined && this.head !== deadline) return;
    if (prev === undefined) this.head = next;
    else prev.next = next;
    if (next === undefined) this.tail = prev;
    else next.prev = prev;
    deadline.prev = deadline.next = undefined;
    if (this.head === undefined) this.timer?.unref();
  }

  /** @internal The timer fired: ends every deadline that is due, re-arms for the next one. */
  fire(): void {
    this.armedAt = Infinity;
    const now = performance.now();
    let head = this.head;
    // Node may fire a timer up to 1 ms before performance.now() says it is due (as with a timer per call).
    while (head !== undefined && head.at - now < 1) {
      this.remove(head);
      head.abort();
      head = this.head;
    }
    // A deadline's listener may have started a call that armed the timer again.
    if (head === undefined || this.armedAt !== Infinity) return;
    this.timer = setTimeout(onTimer, Math.max(1, head.at - now), this);
    this.armedAt = head.at;
  }
}
