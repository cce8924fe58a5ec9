import { randomUUID } from 'node:crypto';
import type { ServiceRegistration } from '../../interfaces/service-registration.interface.js';
import { toConsulDuration } from '../../utils/duration.js';
import { portsToMeta } from '../../utils/transport-ports.js';
import type { ConsulHealthEntry } from './consul-answer.js';

/** Meta key that marks a registration probe (never an instance to call). @internal */
export const PROBE_META_KEY = 'nestmesh-probe';

/** The check ID we give an instance's check, so heartbeats can address it. @internal */
export const checkIdOf = (instanceId: string) => `service:${instanceId}`;

/** The `Check` of a registration body, or `undefined` for an instance without a check. */
function checkBody({ id, name, check }: ServiceRegistration): Record<string, unknown> | undefined {
  if (!check) return undefined;
  const common = {
    CheckID: checkIdOf(id),
    DeregisterCriticalServiceAfter: toConsulDuration(check.deregisterCriticalServiceAfter),
  };
  if (check.type === 'ttl') return { ...common, Name: `${name} heartbeat (terminus)`, TTL: toConsulDuration(check.ttl), Status: check.initialStatus };
  return { ...common, Name: `${name} health endpoint (terminus)`, HTTP: check.url, Interval: toConsulDuration(check.interval), Timeout: toConsulDuration(check.timeout) };
}

/**
 * The body of `PUT /v1/agent/service/register`: the weight as `Weights.Passing` (`Warning` stays Consul's 1), each
 * transport port as meta `nestmesh-port-<transport>`, read back by `toServiceInstance()`. @internal
 */
export function toConsulServiceBody(registration: ServiceRegistration): Record<string, unknown> {
  return {
    ID: registration.id,
    Name: registration.name,
    Address: registration.address,
    Port: registration.port,
    Tags: registration.tags,
    Meta: { ...registration.meta, ...portsToMeta(registration.ports) },
    Weights: { Passing: registration.weight, Warning: 1 },
    EnableTagOverride: false,
    Check: checkBody(registration),
  };
}

/**
 * A probe for `serviceName`, registered then removed at bootstrap to prove this app may register (token,
 * `service:write`). Critical from the start, so no consumer picks it; Consul drops it if the removal fails. @internal
 */
export function registrationProbeBody(serviceName: string): Record<string, unknown> {
  const id = `${serviceName}-nestmesh-probe-${randomUUID().slice(0, 8)}`;
  return {
    ID: id,
    Name: serviceName,
    Port: 1,
    Meta: { [PROBE_META_KEY]: 'true' },
    Check: { CheckID: checkIdOf(id), Name: 'nestmesh registration probe', TTL: '60s', Status: 'critical', DeregisterCriticalServiceAfter: '1m' },
  };
}

/** True for a probe's health entry: discovery never returns it. @internal */
export function isRegistrationProbe(entry: ConsulHealthEntry): boolean {
  return entry.Service?.Meta?.[PROBE_META_KEY] !== undefined;
}
