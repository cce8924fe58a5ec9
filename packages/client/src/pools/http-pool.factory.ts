import { withTimeout } from '@nestmesh/common';
import { Pool } from 'undici';
import type { ConnectionFactory } from '../balancer/connection-factory.interface.js';
import type { PoolOptions } from '../interfaces/pool-options.interface.js';
import { continueSkippingConnector } from './unsolicited-continue.js';

/** @internal The defaults documented on {@link PoolOptions}. */
export const POOL_DEFAULTS: Required<PoolOptions> = { connections: 32, keepAliveTimeout: 4_000, connectTimeout: 2_000, closeTimeout: 5_000 };

/**
 * @internal One undici keep-alive `Pool` per instance that can be called, its connections skipping an unsolicited
 * `100 Continue` ({@link continueSkippingConnector}); `https:` for a static `https` origin (TLS, SNI for a host
 * name). A departed instance's pool finishes its requests (up to `closeTimeout`), then its sockets are destroyed.
 */
export function httpPoolFactory(options: Required<PoolOptions>, protocol: 'http:' | 'https:' = 'http:'): ConnectionFactory<Pool> {
  return {
    key: (instance) => `${instance.id}|${instance.address}|${instance.port}`,
    // The balancer creates a pool only for an address and port it checked (ServiceBalancer.connect()).
    create: ({ address, port }) =>
      new Pool(`${protocol}//${address.includes(':') ? `[${address}]` : address}:${port}`, {
        connections: options.connections,
        keepAliveTimeout: options.keepAliveTimeout,
        connect: continueSkippingConnector({ timeout: options.connectTimeout }),
      }),
    close: async (pool) => {
      const closed = await withTimeout(pool.close().then(() => true, () => false), options.closeTimeout, () => false);
      if (!closed) await pool.destroy().catch(() => undefined);
    },
  };
}
