/** Health of an instance as the registry reports it (Consul's check states, worst check wins). */
export type HealthStatus = 'passing' | 'warning' | 'critical';

/** Who and where an instance is: what a registration says and what discovery returns. */
export interface ServiceIdentity {
  /** Registry-wide unique instance ID. */
  readonly id: string;
  /** Service name. */
  readonly name: string;
  /** Address to call (the service address, or its node's address when the service registered none). */
  readonly address: string;
  readonly port: number;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
  /** Share of traffic (Consul's `Weights.Passing`): an integer from 1 to 65535; 1 when the registry has none. */
  readonly weight: number;
  /**
   * Extra ports by transport name, e.g. `{ tcp: 4001 }` (a hybrid app's TCP microservice), stored as service meta
   * `nestmesh-port-<transport>` (still visible in `meta`). Default `{}`.
   */
  readonly ports: Readonly<Record<string, number>>;
}

/** One instance of a service, as discovery returns it. */
export interface ServiceInstance extends ServiceIdentity {
  /** Aggregated health: `critical` if any check is critical (maintenance included), else `warning` if any warns. */
  readonly health: HealthStatus;
  /** Share of traffic while `warning` (Consul's `Weights.Warning`): an integer `>= 0` (0: none). Default 1. */
  readonly warningWeight?: number;
  /** True when the registry could not be reached and this is the last known state. */
  readonly stale: boolean;
  /** Consul node name, when the registry has nodes. */
  readonly node?: string;
}

/** What a registry knows of one service at one moment. */
export interface InstancesSnapshot {
  readonly instances: readonly ServiceInstance[];
  /** True when the registry is unreachable and `instances` is the last known set. */
  readonly stale: boolean;
  /** False until the registry answered once; `error` then says why not. */
  readonly loaded: boolean;
  readonly error?: Error;
}
