import type { ServiceRegistration } from '../../interfaces/service-registration.interface.js';
import { portsToMeta } from '../../utils/transport-ports.js';

/**
 * The body of `PUT /v1/agent/service/register` for a registration: the weight goes to `Weights.Passing`
 * (`Warning` stays 1, Consul's default) and each transport port to meta `nestmesh-port-<transport>`, which
 * `toServiceInstance()` reads back. `check` is the already-built `Check` object, if any. @internal
 */
export function toConsulServiceBody(registration: ServiceRegistration, check: Record<string, unknown> | undefined): Record<string, unknown> {
  return {
    ID: registration.id,
    Name: registration.name,
    Address: registration.address,
    Port: registration.port,
    Tags: registration.tags,
    Meta: { ...registration.meta, ...portsToMeta(registration.ports) },
    Weights: { Passing: registration.weight, Warning: 1 },
    EnableTagOverride: false,
    Check: check,
  };
}
