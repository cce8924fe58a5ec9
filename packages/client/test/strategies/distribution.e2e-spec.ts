import { startHttpUpstreams, type HttpUpstream } from '@nestmesh/testing';
import { bootClientApp, staticDiscovery } from '../support/client-app.js';

describe('distribution per strategy over real HTTP servers', () => {
  let upstreams: HttpUpstream[];
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    upstreams = await startHttpUpstreams(3);
  });
  afterEach(async () => {
    await close?.();
    close = undefined;
    for (const upstream of upstreams) upstream.requests.length = 0;
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  });

  it('round-robin rotates exactly', async () => {
    const app = await bootClientApp({ discovery: staticDiscovery('svc', upstreams), clients: { services: { svc: { strategy: 'round-robin' } } } });
    close = app.close;
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await app.client('svc').get(`/item/${i}`);
      expect(response.status).toBe(200);
      expect(await response.body.json()).toEqual({ ok: true, path: `/item/${i}` });
      ids.push(response.instance.id);
    }
    expect(ids.slice(0, 3).sort()).toEqual(['svc-0', 'svc-1', 'svc-2']);
    ids.forEach((id, i) => expect(id).toBe(ids[i % 3]));
    expect(upstreams.map((upstream) => upstream.requests.length)).toEqual([10, 10, 10]);
  });

  it('weighted follows Consul-style weights (1, 2, 5) within tolerance', async () => {
    const app = await bootClientApp({ discovery: staticDiscovery('svc', upstreams, [1, 2, 5]), clients: { services: { svc: { strategy: 'weighted' } } } });
    close = app.close;
    for (let i = 0; i < 400; i++) await (await app.client('svc').get('/')).body.dump();
    const counts = upstreams.map((upstream) => upstream.requests.length);
    expect(counts[0]).toBeGreaterThanOrEqual(45);
    expect(counts[0]).toBeLessThanOrEqual(55);
    expect(counts[1]).toBeGreaterThanOrEqual(95);
    expect(counts[1]).toBeLessThanOrEqual(105);
    expect(counts[2]).toBeGreaterThanOrEqual(245);
    expect(counts[2]).toBeLessThanOrEqual(255);
  });

  it('consistent-hash keeps each key on one instance and spreads keys over all', async () => {
    const app = await bootClientApp({ discovery: staticDiscovery('svc', upstreams), clients: { services: { svc: { strategy: 'consistent-hash' } } } });
    close = app.close;
    const owner = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      for (let user = 0; user < 60; user++) {
        const response = await app.client('svc').get('/', { key: `user-${user}` });
        await response.body.dump();
        if (round === 0) owner.set(`user-${user}`, response.instance.id);
        else expect(response.instance.id).toBe(owner.get(`user-${user}`));
      }
    }
    expect(new Set(owner.values()).size).toBe(3);
  });

  it('random and least-request spread requests over every instance', async () => {
    for (const strategy of ['random', 'least-request'] as const) {
      const app = await bootClientApp({ discovery: staticDiscovery('svc', upstreams), clients: { services: { svc: { strategy } } } });
      for (const upstream of upstreams) upstream.requests.length = 0;
      await Promise.all(Array.from({ length: 90 }, async () => (await app.client('svc').get('/')).body.dump()));
      await app.close();
      for (const upstream of upstreams) expect(upstream.requests.length).toBeGreaterThan(5);
    }
  });

  it('takes a user strategy object', async () => {
    const app = await bootClientApp({
      discovery: staticDiscovery('svc', upstreams),
      clients: { services: { svc: { strategy: { pick: (candidates) => candidates.find((c) => c.instance.id === 'svc-2')! } } } },
    });
    close = app.close;
    for (let i = 0; i < 5; i++) expect((await app.client('svc').get('/')).instance.id).toBe('svc-2');
  });
});
