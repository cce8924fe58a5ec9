import { describeValue } from '@nestmesh/common';

/* Every message this package puts in an error (@internal): what was wrong, the value, and how to fix it. */

export const invalidOptionMessage = (where: string, option: string, value: unknown, expected: string, fix: string): string =>
  `${where} option "${option}" must be ${expected}, got ${describeValue(value)}. Fix: ${fix}`;

export const unknownOptionMessage = (where: string, option: string, value: unknown, suggestion: string | undefined, known: readonly string[]): string =>
  `${where} has an unknown option ${JSON.stringify(option)} (${describeValue(value)}). ` +
  (suggestion === undefined
    ? `Valid options: ${known.join(', ')}. Fix: remove it, or use one of the valid options.`
    : `Did you mean ${JSON.stringify(suggestion)}? Valid options: ${known.join(', ')}. Fix: rename it to ${JSON.stringify(suggestion)}, or remove it.`) +
  ' Unknown options are refused so that a typo cannot change behaviour unnoticed.';

export const unknownPolicyMessage = (where: string, name: string, known: readonly string[]): string =>
  `${where} names the policy "${name}", which ResilienceModule does not define (known policies: ${
    known.length ? known.map((n) => `"${n}"`).join(', ') : 'none'
  }). Fix: add \`policies: { ${JSON.stringify(name)}: { ... } }\` to ResilienceModule.forRoot(), or pass options instead of a name.`;

export const misplacedDecoratorMessage = (where: string, kind: string): string =>
  `${where} is on ${kind}, not a method: it would protect nothing. Fix: put it on a method (\`async place() { ... }\`).`;

export const generatorDecoratorMessage = (where: string): string =>
  `${where} is on a generator method: its work runs while the caller iterates, after the call returned, so no policy would cover it. ` +
  `Fix: return an Observable (or a Promise of the whole result), or decorate the method that fetches one item or page.`;

export const staticPolicyNameMessage = (where: string): string =>
  `${where} names a policy on a static method, which runs outside any app. ` +
  `Fix: give the options themselves (@Retry({ maxAttempts: 3 })), or move the method to a provider.`;

export const repeatedDecoratorMessage = (where: string): string =>
  `${where} is written twice on the same method: only one would apply. Fix: keep one, merging their options.`;

export const notAProviderMessage = (where: string, name: string, className: string): string =>
  `${where} names the policy "${name}", but this ${className} is not a Nest provider of an app that imports ResilienceModule ` +
  '(it was created with `new`, or its app does not import ResilienceModule), so no named policy applies and the method was not run. ' +
  `Fix: let Nest create it (list ${className} in a module's providers, import ResilienceModule.forRoot({ policies: { ${JSON.stringify(name)}: { ... } } }) ` +
  `and get the instance from the app, e.g. app.get(${className})), or pass options instead of a name.`;

export const conflictingBreakerMessage = (where: string, consecutive: unknown, rate: unknown): string =>
  `${where} sets both "consecutiveFailures" (${describeValue(consecutive)}) and "failureRate" (${describeValue(rate)}). ` +
  'Fix: keep "consecutiveFailures" for a consecutive breaker, or "failureRate" (+ "window", "minimumThroughput") for a sampling breaker.';

export const missingRequiredMessage = (where: string, option: string, example: string): string =>
  `${where} option "${option}" is required and was not given (neither on the decorator nor in ResilienceModule defaults). Fix: pass it, e.g. ${example}.`;

export const circuitOpenMessage = (policy: string, method: string | undefined, isolated: boolean): string =>
  `${method ? `${method}: ` : ''}circuit breaker "${policy}" is ${isolated ? 'isolated (held open by hand)' : 'open'}: the call was not attempted. ` +
  (isolated ? 'Fix: dispose the isolate() handle to close it.' : 'It lets a probe through after "halfOpenAfter"; catch it with @Fallback() to degrade gracefully.');

export const bulkheadFullMessage = (policy: string, method: string | undefined, limit: number, queue: number): string =>
  `${method ? `${method}: ` : ''}bulkhead "${policy}" is full (${limit} running, ${queue} queued): the call was rejected. ` +
  'Fix: raise "limit"/"queue", retry later, or catch it with @Fallback().';

export const timeoutMessage = (method: string, ms: number): string =>
  `${method} timed out after ${ms} ms and its AbortSignal was aborted. Fix: raise @Timeout's "ms" if the work is legitimately slow, or catch it with @Fallback().`;

export const invalidPolicyNameMessage = (name: unknown): string =>
  `ResiliencePolicyFactory.create() needs a non-empty target name, got ${describeValue(name)}. ` +
  "Fix: name the service or route the policy guards, e.g. create('orders', { circuitBreaker: {} }).";
