import type { Observable } from 'rxjs';
import type { HealthStatus, InstancesSnapshot } from '../interfaces/service-instance.interface.js';
import type { ServiceRegistration } from '../interfaces/service-registration.interface.js';

/** What a heartbeat learned: the registry took it, or no longer knows the instance (it must register again). */
export type HeartbeatResult = 'ok' | 'unknown-instance';

/** A registry backend (Consul, in-memory, static, yours); a call may reject with a `RegistryUnreachableError`. */
export interface ServiceRegistry {
  /** For logs and errors, e.g. `Consul at http://127.0.0.1:8500`. */
  describe(): string;
  /** Resolves when the registry answers; rejects with a `RegistryUnreachableError` otherwise. */
  ping(signal?: AbortSignal): Promise<void>;
  /**
   * Optional: proves that this app may register `serviceName` (credentials, permissions, a registry that accepts
   * registrations) without leaving an instance behind. `failFast` uses it at bootstrap; without it, `ping()`.
   */
  verifyRegistration?(serviceName: string, signal?: AbortSignal): Promise<void>;
  register(registration: ServiceRegistration, signal?: AbortSignal): Promise<void>;
  /**
   * Optional: the `nestmesh-owner` meta of the registered instance `instanceId` (`undefined` when it has none),
   * or `null` when the registry does not know it. Used so that an app never removes another app's registration.
   */
  ownerOf?(instanceId: string, signal?: AbortSignal): Promise<string | undefined | null>;
  deregister(instanceId: string, signal?: AbortSignal): Promise<void>;
  /** Reports a TTL check's status (the heartbeat). */
  reportHealth(instanceId: string, status: HealthStatus, output: string, signal?: AbortSignal): Promise<HeartbeatResult>;
  /** For instances without a TTL check: does the registry still know this instance? */
  checkPresence(instanceId: string, signal?: AbortSignal): Promise<HeartbeatResult>;
  /** Maintenance on: the instance turns critical (consumers stop choosing it) while staying registered. */
  enterMaintenance(instanceId: string, reason: string, signal?: AbortSignal): Promise<void>;
  /**
   * A hot stream of one service's instances (all health states), replaying the latest snapshot. Implementations
   * share one underlying watch per service name and stop it when the last subscriber leaves.
   */
  watch(serviceName: string): Observable<InstancesSnapshot>;
  /** Stops watches and frees sockets. */
  close(): Promise<void>;
}

/** Injection token of the active {@link ServiceRegistry}, for `@Inject(SERVICE_REGISTRY)`. */
export const SERVICE_REGISTRY = Symbol('ServiceRegistry');
