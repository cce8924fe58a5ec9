import type { HealthStatus, ServiceIdentity } from './service-instance.interface.js';

/** A TTL check: the app reports its health every heartbeat; silence for `ttl` turns it critical. */
export interface TtlCheckRegistration {
  readonly type: 'ttl';
  readonly ttl: number;
  readonly deregisterCriticalServiceAfter: number;
  /** Status reported at registration time. */
  readonly initialStatus: HealthStatus;
}

/** An HTTP check: the registry calls `url` every `interval` (2xx passing, 429 warning, else critical). */
export interface HttpCheckRegistration {
  readonly type: 'http';
  readonly url: string;
  readonly interval: number;
  readonly timeout: number;
  readonly deregisterCriticalServiceAfter: number;
}

/** Everything a registry needs to register one instance. Durations are in milliseconds. */
export interface ServiceRegistration extends ServiceIdentity {
  /** `undefined`: no health check (the instance is passing while registered). */
  readonly check?: TtlCheckRegistration | HttpCheckRegistration;
}
