import { isDiscoveryConfigurationError } from '@nestmesh/discovery';
import { messages } from '../errors/messages.constants.js';
import { NoInstancesError } from '../errors/no-instances.error.js';
import type { ServiceRuntime } from './service-runtime.js';

/** @internal Waits for the service's first discovery answer, turning "no answer" into a `NoInstancesError`. */
export async function awaitInstances(runtime: ServiceRuntime<unknown>): Promise<void> {
  try {
    await runtime.balancer.ready();
  } catch (error) {
    if (isDiscoveryConfigurationError(error)) throw error;
    const name = runtime.options.serviceName;
    throw new NoInstancesError(messages.noInstances(name, (error as Error).message), { serviceName: name, attempts: 0, cause: error });
  }
}
