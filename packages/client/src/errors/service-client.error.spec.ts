import { AllInstancesEjectedError, isAllInstancesEjectedError } from './all-instances-ejected.error.js';
import { isNoInstancesError, NoInstancesError } from './no-instances.error.js';
import { isRetryBudgetExhaustedError, RetryBudgetExhaustedError } from './retry-budget-exhausted.error.js';
import { isServiceCircuitOpenError, ServiceCircuitOpenError } from './service-circuit-open.error.js';
import type { ServiceCallDetails } from './service-client.error.js';
import { isServiceTimeoutError, ServiceTimeoutError } from './service-timeout.error.js';
import { isUpstreamUnreachableError, UpstreamUnreachableError } from './upstream-unreachable.error.js';

const ERRORS = [
  [NoInstancesError, isNoInstancesError, 503],
  [AllInstancesEjectedError, isAllInstancesEjectedError, 503],
  [RetryBudgetExhaustedError, isRetryBudgetExhaustedError, 503],
  [ServiceCircuitOpenError, isServiceCircuitOpenError, 503],
  [UpstreamUnreachableError, isUpstreamUnreachableError, 503],
  [ServiceTimeoutError, isServiceTimeoutError, 504],
] as const;

describe('the client errors', () => {
  const details: ServiceCallDetails = { serviceName: 'orders', instanceId: 'orders-1', attempts: 2, cause: new Error('reset') };

  it.each(ERRORS)('%p answers its status with the message, carries the details and only its own guard knows it', (ErrorClass, guard, status) => {
    const error = new ErrorClass('what went wrong', details);
    expect(error.getStatus()).toBe(status);
    expect(error.getResponse()).toEqual({ statusCode: status, error: status === 503 ? 'Service Unavailable' : 'Gateway Timeout', message: 'what went wrong' });
    expect([error.name, error.message]).toEqual([ErrorClass.name, 'what went wrong']);
    expect([error.serviceName, error.instanceId, error.attempts, error.cause]).toEqual(['orders', 'orders-1', 2, details.cause]);
    expect(ERRORS.map(([, other]) => other(error))).toEqual(ERRORS.map(([, other]) => other === guard));
  });

  it('a subclass keeps the status and the brand of the class it extends', () => {
    class OrdersTimeoutError extends ServiceTimeoutError {}
    const error = new OrdersTimeoutError('slow', { serviceName: 'orders', attempts: 1 });
    expect(error.getStatus()).toBe(504);
    expect(isServiceTimeoutError(error)).toBe(true);
    expect(isNoInstancesError(error)).toBe(false);
  });

  it('the guards know the brand of another copy of the package, and nothing else', () => {
    expect(isServiceTimeoutError({ [Symbol.for('NESTMESH:client:ServiceTimeoutError')]: true })).toBe(true);
    expect([isServiceTimeoutError(new Error('x')), isServiceTimeoutError(undefined), isServiceTimeoutError('ServiceTimeoutError')]).toEqual([false, false, false]);
  });
});
