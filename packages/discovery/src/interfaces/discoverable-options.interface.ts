import type { Duration } from '../utils/duration.js';

/** A TTL check (the default): the app pushes its terminus health to the registry every heartbeat. */
export interface TtlCheckOptions {
  type?: 'ttl';
  /** Without a heartbeat for this long, the check turns critical. Default `'10s'`. */
  ttl?: Duration;
  /** How often the app reports its health. Default: a third of `ttl`. */
  heartbeatInterval?: Duration;
  /** Alias of `heartbeatInterval`. */
  interval?: Duration;
  /** Consul removes an instance critical for this long (minimum 1m in Consul). Default `'1m'`. */
  deregisterCriticalServiceAfter?: Duration;
}

/** An HTTP check: Consul calls the module's health endpoint on the instance's address and port. */
export interface HttpCheckOptions {
  type: 'http';
  /** Path of the health endpoint the module exposes. Default `'/_nestmesh/health'`. */
  path?: string;
  /** Default `'10s'`. */
  interval?: Duration;
  /** Default `'5s'`. */
  timeout?: Duration;
  /** Default `'1m'`. */
  deregisterCriticalServiceAfter?: Duration;
  /** Scheme Consul uses to call the endpoint. Default `'http'`. */
  scheme?: 'http' | 'https';
  /** How often the app checks that the registry still knows it (and registers again if not). Default = `interval`. */
  presenceInterval?: Duration;
}

/** Options of {@link Discoverable}: who this app is in the registry. The module's `service` option overrides each. */
export interface DiscoverableOptions {
  /** Service name, DNS-safe (letters, digits, dashes; 1 to 63 characters). Required. */
  name: string;
  /** Tags to register. Default `[]`. */
  tags?: string[];
  /** Meta to register; `version` is added when known. Default `{}`. */
  meta?: Record<string, string>;
  /** Version, registered as `meta.version`. Default: `npm_package_version` when npm started the app. */
  version?: string;
  /** Address consumers call. Default: `NESTMESH_SERVICE_ADDRESS`, else the address the server is bound to when it is a specific one, else a non-loopback IPv4 of this host (loopback with the in-memory registry). */
  address?: string;
  /**
   * Port consumers call. Default: the port the HTTP server really listens on (also when it listened on 0); for a
   * microservice-only app (`NestFactory.createMicroservice()`, TCP), the port its TCP server listens on.
   */
  port?: number;
  /** Share of traffic relative to other instances (Consul's `Weights.Passing`): an integer from 1 to 65535. Default `1`. */
  weight?: number;
  /**
   * Extra ports by transport name (letters, digits, `_`, `-`), registered as meta `nestmesh-port-<transport>`.
   * Default: `{ tcp: <port> }` when the app serves a `@nestjs/microservices` TCP transport
   * (`app.connectMicroservice()` or `NestFactory.createMicroservice()`); entries given here win.
   */
  ports?: Record<string, number>;
  /** Instance ID. Default: `<name>-<address>-<port>`, unique and stable for the same host and port. */
  instanceId?: string;
  /** The health check: `'ttl'` / `'http'` (with their defaults), their options, or `false` (none). Default `'ttl'`. */
  check?: TtlCheckOptions | HttpCheckOptions | 'ttl' | 'http' | false;
  /** Register at all. Default `true` (handy to switch off in tests or one-off scripts). */
  enabled?: boolean;
}
