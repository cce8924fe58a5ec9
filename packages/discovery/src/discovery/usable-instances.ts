import type { Logger } from '@nestjs/common';
import { messages } from '../errors/messages.constants.js';
import type { InstancesSnapshot, ServiceInstance } from '../interfaces/service-instance.interface.js';
import { isPort } from '@nestmesh/common';
import { isInstanceAddress } from '../utils/validation.js';

/** At most this many unusable instances are remembered as already reported (the oldest are forgotten first). */
export const MAX_REPORTED_UNUSABLE = 1_024;

/** Unusable instances already reported (each is logged once); bounded, as whoever writes to the registry names them. */
const reported = new Set<string>();

const isUsable = (instance: ServiceInstance): boolean => instance.id !== '' && isInstanceAddress(instance.address) && isPort(instance.port);

/**
 * @internal What a registry answered is input: an instance whose address or port cannot be called (`[::1]`,
 * `http://10.0.0.5`, `10.0.0.5:80`, empty, port 0) or that has no id is left out, with one warning each, before a consumer builds a
 * connection from it. Returns `snapshot` itself when all are usable.
 */
export function withUsableInstances(snapshot: InstancesSnapshot, service: string, logger: Pick<Logger, 'warn'>): InstancesSnapshot {
  const unusable = snapshot.instances.filter((instance) => !isUsable(instance));
  if (unusable.length === 0) return snapshot;
  for (const instance of unusable) {
    const key = JSON.stringify([service, instance.id, instance.address, instance.port]);
    if (reported.has(key)) continue;
    if (reported.size >= MAX_REPORTED_UNUSABLE) reported.delete(reported.values().next().value!);
    reported.add(key);
    logger.warn(messages.unusableInstance(service, instance.id, instance.address, instance.port));
  }
  return { ...snapshot, instances: snapshot.instances.filter(isUsable) };
}
