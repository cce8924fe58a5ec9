import { untilAborted } from '@nestmesh/common';
import { isDiscoveryConfigurationError } from '@nestmesh/discovery';
import { messages } from '../errors/messages.constants.js';
import { NoInstancesError } from '../errors/no-instances.error.js';
import { ServiceTimeoutError } from '../errors/service-timeout.error.js';
import { CallDeadline } from './call-deadline.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * @internal Waits for the service's first discovery answer within `deadline` (the wait goes on for later calls):
 * "no answer" is a `NoInstancesError`, the deadline passing a `ServiceTimeoutError`, the caller's abort its reason.
 */
export async function awaitInstances(runtime: ServiceRuntime<unknown>, deadline: CallDeadline): Promise<void> {
  const name = runtime.options.serviceName;
  try {
    // The deadline as the abort target it already is (no AbortSignal made for it).
    await untilAborted(runtime.balancer.ready() ?? Promise.resolve(), deadline.undiciSignal);
  } catch (error) {
    if (deadline.expired()) {
      const message = messages.discoveryTimeout(name, runtime.balancer.source.describe(), deadline.ms);
      throw new ServiceTimeoutError(message, { serviceName: name, attempts: 0, cause: error });
    }
    if (deadline.aborted || isDiscoveryConfigurationError(error)) throw error;
    throw new NoInstancesError(messages.noInstances(name, (error as Error).message), { serviceName: name, attempts: 0, cause: error });
  }
}

/** @internal {@link awaitInstances} outside a call (a lease, `connect()`): within the service's `deadline`, or until `signal` aborts. */
export async function awaitInstancesAlone(runtime: ServiceRuntime<unknown>, signal?: AbortSignal): Promise<void> {
  if (runtime.balancer.isReady) return;
  const deadline = new CallDeadline(runtime.options.deadline, undefined, signal);
  try {
    await awaitInstances(runtime, deadline);
  } finally {
    deadline.clear();
  }
}
