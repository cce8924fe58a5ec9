import { Observable } from 'rxjs';
import type { InstancesSnapshot } from '../../interfaces/service-instance.interface.js';
import { SharedByKey } from '../../utils/shared-by-key.js';
import { acquireConsulConnection, connectionKey } from './consul-connection.js';
import type { ConsulEndpoint } from './consul-endpoint.js';
import { ConsulServiceWatch, type ConsulWatchSettings } from './consul-service.watch.js';

const watches = new SharedByKey<{ watch: ConsulServiceWatch; release: () => void }>(({ watch, release }) => {
  watch.stop();
  release();
});

/**
 * Watches are shared only by subscribers that would run the same one: same connection (Consul, token, datacenter,
 * TLS settings), service and timing settings. @internal
 */
export function watchKey(endpoint: ConsulEndpoint, serviceName: string, { wait, minInterval, retryDelay, maxRetryDelay, requestTimeout }: ConsulWatchSettings): string {
  return JSON.stringify([connectionKey(endpoint), serviceName, wait, minInterval, retryDelay, maxRetryDelay, requestTimeout]);
}

/**
 * One Consul watch per service, endpoint and timing settings in the process, shared by the subscribers with those
 * settings (an app with other settings gets its own), started by the first and stopped as the last one leaves
 * (its blocking query aborted, its slot freed). @internal
 */
export function sharedConsulWatch(endpoint: ConsulEndpoint, serviceName: string, settings: ConsulWatchSettings): Observable<InstancesSnapshot> {
  const key = watchKey(endpoint, serviceName, settings);
  return new Observable<InstancesSnapshot>((subscriber) => {
    const { value, release } = watches.acquire(key, () => {
      const connection = acquireConsulConnection(endpoint);
      const watch = new ConsulServiceWatch(connection.value, serviceName, settings, endpoint.datacenter);
      return { watch, release: connection.release };
    });
    const subscription = value.watch.snapshots$.subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      release();
    };
  });
}
