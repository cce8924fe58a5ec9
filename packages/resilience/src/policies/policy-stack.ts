import { CircuitState, TaskCancelledError, isBrokenCircuitError, isIsolatedCircuitError, type CircuitBreakerPolicy, type IDefaultPolicyContext } from 'cockatiel';
import { untilAborted } from '@nestmesh/common';
import { CircuitOpenError, isCircuitOpenError } from '../errors/circuit-open.error.js';
import { ResilienceTimeoutError } from '../errors/resilience-timeout.error.js';
import type { BulkheadGate } from './bulkhead.gate.js';
import type { HalfOpenClock } from './half-open.clock.js';
import type { RetryExecutor } from './retry.executor.js';

/** @internal One call of the original function, given the attempt's signal (if any) and number. */
export type Invoke = (signal: AbortSignal | undefined, attempt: number) => unknown;

/** @internal A composed stack; `signal` is `undefined` unless the call can be cancelled (no AbortController then). */
export type Runner = (invoke: Invoke, signal: AbortSignal | undefined, attempt: number) => unknown;

/** @internal The policies of one method or target, shared through the registry. */
export interface StackParts {
  /** `Class.method` or the target name, for error messages. */
  readonly method: string;
  readonly retry?: RetryExecutor;
  readonly breaker?: { readonly name: string; readonly policy: CircuitBreakerPolicy; readonly clock: HalfOpenClock };
  /** `signalArg` is for the method's invoker: the index of the argument receiving the attempt's signal. */
  readonly timeout?: { readonly ms: number; readonly signalArg?: number; readonly onTimeout: (error: ResilienceTimeoutError) => void };
  readonly bulkhead?: BulkheadGate;
}

/** @internal The empty stack: the call itself. */
export const direct: Runner = (invoke, signal, attempt) => invoke(signal, attempt);

/** @internal The stack for signal-free calls: each layer hands cockatiel the call itself (one closure per call). */
export type PlainRunner = (call: () => unknown) => unknown;

/** @internal Composes Retry( CircuitBreaker( Timeout( Bulkhead( fn )))) once per method; the wrapper adds Fallback. */
export function buildRunner(parts: StackParts): Runner {
  const { bulkhead, timeout, breaker, retry, method } = parts;
  let run = direct;
  if (bulkhead) run = (invoke, signal, attempt) => bulkhead.execute(() => invoke(signal, attempt), method, signal);
  if (timeout) run = timeoutLayer(run, timeout.ms, method, timeout.onTimeout);
  if (breaker) run = breakerLayer(run, breaker, method);
  if (retry) {
    const inner = run;
    run = (invoke, signal) => retry.execute((attemptSignal, attempt) => inner(invoke, attemptSignal, attempt), signal);
  }
  return run;
}

/** @internal {@link buildRunner} for signal-free calls; `undefined` with a timeout, which needs a signal. */
export function buildPlainRunner(parts: StackParts): PlainRunner | undefined {
  const { bulkhead, breaker, retry, method } = parts;
  if (parts.timeout) return undefined;
  let run: PlainRunner | undefined;
  if (bulkhead) run = (call) => bulkhead.execute(call, method);
  if (breaker) run = around(breakerExecutor(breaker, method), run);
  if (retry) run = around((call) => retry.executePlain(call), run);
  return run;
}

/** `layer` over `inner`: the call itself when `inner` is the first layer, else a call of `inner`. */
function around(layer: PlainRunner, inner: PlainRunner | undefined): PlainRunner {
  return inner === undefined ? layer : (call) => layer(() => inner(call));
}

/**
 * Runs a function through the breaker, turning cockatiel's broken-circuit rejection into a {@link CircuitOpenError}
 * naming the breaker and the method.
 */
function breakerExecutor(breaker: NonNullable<StackParts['breaker']>, method: string) {
  const { policy } = breaker;
  const toOpenError = (error: unknown): never => {
    if (isBrokenCircuitError(error) && !isCircuitOpenError(error)) {
      const isolated = isIsolatedCircuitError(error);
      throw new CircuitOpenError(breaker.name, method, isolated, isolated ? undefined : breaker.clock.remaining());
    }
    throw error;
  };
  return <T>(fn: (context: IDefaultPolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> => {
    const closed = policy.state === CircuitState.Closed;
    const result = policy.execute(fn, signal);
    // Only a breaker that is not closed can reject: no extra promise while closed.
    if (closed) return result;
    // A call waiting for a half-open probe's verdict: cockatiel looks at its signal only once the verdict is in.
    const answer = result.catch(toOpenError);
    return signal === undefined ? answer : untilAborted(answer, signal, () => new TaskCancelledError('Call cancelled while waiting for the half-open probe'));
  };
}

/**
 * The deadline of each attempt, like cockatiel's aggressive timeout: the caller is released at the deadline even
 * if the method ignores its signal, which aborts then (never on normal return: "aborted" means timed out or
 * cancelled). Not cockatiel's `TimeoutPolicy`: with the ALS `run()` of `currentSignal()` it measured +21–26% over
 * raw cockatiel (goal: +10%), this deadline −45% (README, "Benchmark").
 */
function timeoutLayer(inner: Runner, ms: number, method: string, onTimeout: (error: ResilienceTimeoutError) => void): Runner {
  return (invoke, signal, attempt) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new TaskCancelledError('Call cancelled by the caller'));
      const controller = new AbortController();
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onCallerAbort);
        return true;
      };
      const timer = setTimeout(() => {
        if (!settle()) return;
        const error = new ResilienceTimeoutError(method, ms);
        reject(error);
        controller.abort(error);
        onTimeout(error);
      }, ms);
      const onCallerAbort = () => {
        if (!settle()) return;
        reject(new TaskCancelledError('Call cancelled by the caller'));
        controller.abort(signal?.reason);
      };
      signal?.addEventListener('abort', onCallerAbort, { once: true });
      let result: unknown;
      try {
        result = inner(invoke, controller.signal, attempt);
      } catch (error) {
        if (settle()) reject(error);
        return;
      }
      Promise.resolve(result).then(
        (value) => settle() && resolve(value),
        (error: unknown) => settle() && reject(error),
      );
    });
}

function breakerLayer(inner: Runner, breaker: NonNullable<StackParts['breaker']>, method: string): Runner {
  const execute = breakerExecutor(breaker, method);
  // cockatiel hands `fn` the signal it was given (its own never-aborted one when that is undefined): pass ours on.
  return (invoke, signal, attempt) => execute(() => inner(invoke, signal, attempt), signal);
}
