import { activeResources, startHttpUpstreams, waitFor, type HttpUpstream } from '@nestmesh/testing';
import { bootClientApp, runLoad, staticDiscovery } from '../support/client-app.js';

describe('closing the app', () => {
  let upstreams: HttpUpstream[];

  beforeAll(async () => {
    upstreams = await startHttpUpstreams(2);
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  });

  it('leaves no socket or timer behind (active handles counted before and after)', async () => {
    const before = activeResources();
    const app = await bootClientApp({ discovery: staticDiscovery('svc', upstreams), clients: { services: { svc: { timeout: { ms: 5_000 } } } } });
    await runLoad(100, 10, async () => (await app.client('svc').get('/')).body.dump());
    const during = activeResources();
    expect(during.TCPSocketWrap ?? 0).toBeGreaterThan(before.TCPSocketWrap ?? 0);
    await app.close();
    // The server side of each closed keep-alive socket goes away as soon as the client's FIN arrives.
    await waitFor(() => (activeResources().TCPSocketWrap ?? 0) === (before.TCPSocketWrap ?? 0), { timeout: 5_000, description: `sockets closed (${JSON.stringify(activeResources())} vs ${JSON.stringify(before)})` });
    const after = activeResources();
    expect(after.TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0);
    expect(after.TCPServerWrap ?? 0).toBe(before.TCPServerWrap ?? 0);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
  });
});
