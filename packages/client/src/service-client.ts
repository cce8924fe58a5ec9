import type { ServiceInstance } from '@nestmesh/discovery';
import type { Pool } from 'undici';
import { leaseEndpoint, type EndpointLease } from './balancer/endpoint-lease.js';
import type { ServiceRequest, ServiceRequestBody, ServiceRequestOptions } from './interfaces/service-request.interface.js';
import type { ServiceResponse } from './interfaces/service-response.interface.js';
import { executeHttpCall } from './request/http-call.js';
import type { RelaySink } from './request/relay-attempt.js';
import type { ServiceRuntime } from './request/service-runtime.js';

/**
 * Calls one service by name over HTTP: finds its instances through discovery, picks one per attempt with the
 * service's load-balancing strategy, and applies its resilience (deadline, retries on another instance within a
 * retry budget, outlier ejection, circuit breaker). Every call resolves with the answer, whatever its status;
 * it rejects only when no answer could be had (`NoInstancesError`, `AllInstancesEjectedError`,
 * `ServiceTimeoutError`, `RetryBudgetExhaustedError`, `ServiceCircuitOpenError`, `UpstreamUnreachableError`).
 *
 * @example
 * constructor(@InjectServiceClient('orders') private readonly orders: ServiceClient) {}
 * const response = await this.orders.get('/orders/42', { headers: { accept: 'application/json' } });
 * if (response.status === 200) return response.body.json();
 */
export class ServiceClient {
  /** @internal */
  constructor(private readonly runtime: ServiceRuntime<Pool>) {}

  /** The name this client was registered under (the key of `services`). */
  get name(): string {
    return this.runtime.options.key;
  }

  /** The instances currently known for the service (ejected ones included), after the first call. */
  instances(): ServiceInstance[] {
    return this.runtime.balancer.all().map((endpoint) => endpoint.instance);
  }

  /** Sends a request; see {@link ServiceRequest}. */
  request(request: ServiceRequest): Promise<ServiceResponse> {
    return executeHttpCall(this.runtime, request);
  }

  /**
   * For `@nestmesh/gateway` (see `@nestmesh/client/relay`, where `RelaySink` comes from): {@link request}, with the
   * answer relayed into `sink`. Resolves once `sink.start()` has the answer (its body keeps flowing into the sink);
   * rejects as `request()` does, or with what `sink.start()` threw.
   */
  relay(request: ServiceRequest, sink: RelaySink): Promise<Omit<ServiceResponse, 'body' | 'headers'>> {
    return executeHttpCall(this.runtime, request, sink);
  }

  /**
   * @internal For `@nestmesh/gateway`'s WebSocket tunnels: an {@link EndpointLease}; rejects as `request()` does, or
   * after `deadline` waiting for discovery (`ServiceTimeoutError`), or with `signal`'s reason when it aborts.
   */
  lease(key?: string, signal?: AbortSignal): Promise<EndpointLease> {
    return leaseEndpoint(this.runtime, key, signal);
  }

  /** `GET path`. */
  get(path: string, options?: ServiceRequestOptions): Promise<ServiceResponse> {
    return this.request({ ...options, method: 'GET', path });
  }

  /** `DELETE path`. */
  delete(path: string, options?: ServiceRequestOptions): Promise<ServiceResponse> {
    return this.request({ ...options, method: 'DELETE', path });
  }

  /** `POST path` with `body` (a plain object is sent as JSON). Not retried unless it carries an `Idempotency-Key`. */
  post(path: string, body?: ServiceRequestBody, options?: ServiceRequestOptions): Promise<ServiceResponse> {
    return this.request({ ...options, method: 'POST', path, body });
  }

  /** `PUT path` with `body`. */
  put(path: string, body?: ServiceRequestBody, options?: ServiceRequestOptions): Promise<ServiceResponse> {
    return this.request({ ...options, method: 'PUT', path, body });
  }

  /** `PATCH path` with `body`. Not retried unless it carries an `Idempotency-Key`. */
  patch(path: string, body?: ServiceRequestBody, options?: ServiceRequestOptions): Promise<ServiceResponse> {
    return this.request({ ...options, method: 'PATCH', path, body });
  }
}
