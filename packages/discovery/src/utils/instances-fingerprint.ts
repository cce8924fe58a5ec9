import type { ServiceInstance } from '../interfaces/service-instance.interface.js';

/** A stable string of what consumers care about in an instance list, to emit only real changes. @internal */
export function instancesFingerprint(instances: readonly ServiceInstance[]): string {
  return JSON.stringify(instances.map((i) => [i.id, i.address, i.port, i.health, i.stale, i.tags, i.meta, i.weight, i.warningWeight, i.ports]));
}
