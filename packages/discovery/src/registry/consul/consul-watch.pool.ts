import { Observable } from 'rxjs';
import type { InstancesSnapshot } from '../../interfaces/service-instance.interface.js';
import type { ConsulEndpoint } from './consul-http.client.js';
import { ConsulServiceWatch, type ConsulWatchSettings } from './consul-service.watch.js';

interface PoolEntry {
  watch: ConsulServiceWatch;
  subscribers: number;
}

const entries = new Map<string, PoolEntry>();

function keyOf(endpoint: ConsulEndpoint, serviceName: string): string {
  return [endpoint.baseUrl.origin, endpoint.token ?? '', endpoint.datacenter ?? '', serviceName].join('|');
}

/**
 * One Consul watch per service name (and Consul endpoint) per process, shared by every subscriber, started by
 * the first and stopped when the last one leaves. The first subscriber's timing settings win. @internal
 */
export function sharedConsulWatch(endpoint: ConsulEndpoint, serviceName: string, settings: ConsulWatchSettings): Observable<InstancesSnapshot> {
  const key = keyOf(endpoint, serviceName);
  return new Observable<InstancesSnapshot>((subscriber) => {
    let entry = entries.get(key);
    if (!entry) {
      entry = { watch: new ConsulServiceWatch(endpoint, serviceName, settings), subscribers: 0 };
      entries.set(key, entry);
      entry.watch.start();
    }
    entry.subscribers += 1;
    const subscription = entry.watch.snapshots$.subscribe(subscriber);
    const owned = entry;
    return () => {
      subscription.unsubscribe();
      owned.subscribers -= 1;
      if (owned.subscribers === 0) {
        entries.delete(key);
        owned.watch.stop();
      }
    };
  });
}
