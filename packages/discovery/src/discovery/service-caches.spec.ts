import { Observable } from 'rxjs';
import type { InstancesSnapshot } from '../interfaces/service-instance.interface.js';
import { sleep } from '../utils/sleep.js';
import { MAX_IDLE_SERVICE_CACHES, ServiceCaches } from './service-caches.js';

/** A registry watch that records which services are followed right now. */
function fakeRegistry() {
  const following = new Set<string>();
  const open = (name: string) =>
    new Observable<InstancesSnapshot>((subscriber) => {
      following.add(name);
      subscriber.next({ instances: [], stale: false, loaded: true });
      return () => following.delete(name);
    });
  return { following, open };
}

describe('ServiceCaches', () => {
  it('keeps a service followed while it is used, and ends it the linger after its last use', async () => {
    const registry = fakeRegistry();
    const caches = new ServiceCaches(registry.open, 100);
    const held = caches.use('held');
    caches.use('once').done();
    expect([...registry.following].sort()).toEqual(['held', 'once']);
    await sleep(400);
    expect([...registry.following]).toEqual(['held']);
    held.done();
    await sleep(400);
    expect(registry.following.size).toBe(0);
    expect(caches.names()).toEqual([]);
    caches.close();
  });

  it(`keeps at most ${MAX_IDLE_SERVICE_CACHES} unused caches, dropping the least recently used first`, () => {
    const registry = fakeRegistry();
    const caches = new ServiceCaches(registry.open, 60_000);
    const held = caches.use('held');
    for (let i = 0; i < MAX_IDLE_SERVICE_CACHES + 50; i += 1) caches.use(`typo-${i}`).done();
    expect(registry.following.size).toBe(MAX_IDLE_SERVICE_CACHES + 1);
    expect(registry.following.has('held')).toBe(true);
    expect(registry.following.has('typo-0')).toBe(false);
    expect(registry.following.has(`typo-${MAX_IDLE_SERVICE_CACHES + 49}`)).toBe(true);
    held.done();
    caches.close();
    expect(registry.following.size).toBe(0);
  });
});
