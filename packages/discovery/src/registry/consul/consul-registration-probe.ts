import { randomUUID } from 'node:crypto';
import type { ConsulHealthEntry } from './consul-health-entry.js';

/** Meta key that marks a registration probe (never an instance to call). @internal */
export const PROBE_META_KEY = 'nestmesh-probe';

/**
 * The registration body of a probe for `serviceName`: registered then removed at bootstrap to prove that this app
 * may register (token, `service:write`, a registry that accepts registrations). It is critical from the start, so
 * no consumer picks it, and Consul drops it by itself should the removal fail. @internal
 */
export function registrationProbeBody(serviceName: string): Record<string, unknown> {
  const id = `${serviceName}-nestmesh-probe-${randomUUID().slice(0, 8)}`;
  return {
    ID: id,
    Name: serviceName,
    Port: 1,
    Meta: { [PROBE_META_KEY]: 'true' },
    Check: { CheckID: `service:${id}`, Name: 'nestmesh registration probe', TTL: '60s', Status: 'critical', DeregisterCriticalServiceAfter: '1m' },
  };
}

/** True for a probe's health entry: discovery never returns it. @internal */
export function isRegistrationProbe(entry: ConsulHealthEntry): boolean {
  return entry.Service?.Meta?.[PROBE_META_KEY] !== undefined;
}
