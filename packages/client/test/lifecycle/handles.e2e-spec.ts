import { startNodeApp } from '@nestmesh/testing';
import { fileURLToPath } from 'node:url';

const register = fileURLToPath(new URL('../../../../scripts/ts-register.js', import.meta.url));
const fixture = fileURLToPath(new URL('./handles.fixture.ts', import.meta.url));

type Counts = Record<string, number>;

describe('closing the app', () => {
  it('leaves no socket or timer behind (active handles counted before and after, in a fresh process)', async () => {
    const proc = await startNodeApp(fixture, { env: { NODE_OPTIONS: `--import ${register}` } });
    expect(await proc.waitForExit()).toEqual({ code: 0, signal: null });
    const match = /handles (\{.*\})/.exec(proc.log);
    expect(match).not.toBeNull();
    const { before, during, after } = JSON.parse(match![1]) as { before: Counts; during: Counts; after: Counts };
    // Keep-alive sockets were open during the load...
    expect(during.upstreamConnections).toBeGreaterThan(0);
    expect(during.TCPSocketWrap ?? 0).toBeGreaterThan(before.TCPSocketWrap ?? 0);
    // ...and closing the app closed every one of them (the servers keep idle sockets for a minute), and its timers.
    expect(after.upstreamConnections).toBe(0);
    expect(after.TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0);
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
  });
});
