/** An abort listener: a function, or an object with `handleEvent()` (as `EventTarget` takes them). */
export type AbortListener = (() => void) | { handleEvent(): void };

const call = (listener: AbortListener): void => (typeof listener === 'function' ? listener() : listener.handleEvent());

/**
 * The smallest abort target undici's `request({ signal })` accepts, for a hot path that must be able to abort an
 * undici request but rarely does: an `AbortController` per request cost about 5% of a client call's CPU and 3% of
 * the gateway's bare route (profiled). Not an `AbortSignal`: give it to undici only.
 *
 * @example
 * const target = new AbortTarget();
 * res.once('close', () => target.abort(new Error('the client went away')));
 * await pool.request({ method: 'GET', path: '/', signal: target.undiciSignal });
 */
export class AbortTarget {
  aborted = false;
  reason: unknown = undefined;
  /** One listener, or several (most targets have one: no array for them). */
  private listeners: AbortListener | AbortListener[] | undefined;

  /** The target itself, typed as what undici's `signal` option is declared as. */
  get undiciSignal(): AbortSignal {
    return this as unknown as AbortSignal;
  }

  /** As `EventTarget.addEventListener('abort', listener)`; each listener runs once (undici asks for `once`). */
  addEventListener(_type: 'abort', listener: AbortListener): void {
    const listeners = this.listeners;
    if (listeners === undefined) this.listeners = listener;
    else if (Array.isArray(listeners)) listeners.push(listener);
    else this.listeners = [listeners, listener];
  }

  removeEventListener(_type: 'abort', listener: AbortListener): void {
    const listeners = this.listeners;
    if (listeners === listener) this.listeners = undefined;
    else if (Array.isArray(listeners)) {
      const index = listeners.indexOf(listener);
      if (index >= 0) listeners.splice(index, 1);
    }
  }

  /** Aborts with `reason` (once; none gives the `AbortError` that `AbortController.abort()` gives), calling every listener. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    this.onAbort();
    const listeners = this.listeners;
    this.listeners = undefined;
    if (Array.isArray(listeners)) for (const listener of listeners) call(listener);
    else if (listeners !== undefined) call(listeners);
  }

  /** Called once at the abort, before the listeners. */
  protected onAbort(): void {}
}
