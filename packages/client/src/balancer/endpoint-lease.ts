import type { ServiceInstance } from '@nestmesh/discovery';
import { awaitInstancesAlone } from '../request/await-instances.js';
import type { ServiceRuntime } from '../request/service-runtime.js';

/**
 * @internal One instance lent for an exchange the client does not carry itself (a gateway's WebSocket tunnel):
 * picked by the service's strategy among the non-ejected instances (as a first attempt), counted in flight until
 * {@link release}, its outcome counted by outlier detection.
 */
export interface EndpointLease {
  readonly instance: ServiceInstance;
  /** Whether the instance is reached over TLS (a static `https` origin). */
  readonly tls: boolean;
  /** The exchange's outcome, counted once: a failure (no connection, no answer in time, a broken answer) towards ejection. */
  answered(ok: boolean): void;
  /** The exchange is over: no longer in flight. Later calls do nothing. */
  release(): void;
}

/** @internal Lends an instance of the runtime's service: see `ServiceClient.lease()`. */
export async function leaseEndpoint<C>(runtime: ServiceRuntime<C>, key?: string, signal?: AbortSignal): Promise<EndpointLease> {
  const { balancer } = runtime;
  await awaitInstancesAlone(runtime, signal);
  const endpoint = balancer.pick(key, undefined)!;
  endpoint.inFlight++;
  let answered = false;
  let released = false;
  return {
    instance: endpoint.instance,
    tls: runtime.options.origin?.protocol === 'https:',
    answered(ok) {
      if (answered) return;
      answered = true;
      if (ok) balancer.onSuccess(endpoint, performance.now());
      else balancer.onFailure(endpoint, performance.now());
    },
    release() {
      if (released) return;
      released = true;
      endpoint.inFlight--;
    },
  };
}
