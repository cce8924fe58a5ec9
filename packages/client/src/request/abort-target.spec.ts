import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { AbortTarget } from './abort-target.js';

describe('AbortTarget', () => {
  let server: Server;
  let pool: Pool;

  beforeAll(async () => {
    // A real server that answers /fast at once and never answers /stall.
    server = createServer((req, res) => {
      if (req.url === '/fast') res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    await pool.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('aborts a running undici request with its reason', async () => {
    const target = new AbortTarget();
    const request = pool.request({ method: 'GET', path: '/stall', signal: target.undiciSignal });
    setTimeout(() => target.abort(new Error('the client went away')), 20);
    await expect(request).rejects.toThrow('the client went away');
    expect(target.aborted).toBe(true);
  });

  it('refuses to start a request once aborted, with the AbortError AbortController would give', async () => {
    const target = new AbortTarget();
    target.abort();
    await expect(pool.request({ method: 'GET', path: '/fast', signal: target.undiciSignal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('calls each listener once, functions and objects with handleEvent() alike, and never one that was removed', () => {
    const target = new AbortTarget();
    const heard: string[] = [];
    const first = () => heard.push('first');
    const object = { handleEvent: () => heard.push('object') };
    const removed = () => heard.push('removed');
    target.addEventListener('abort', first);
    target.addEventListener('abort', removed);
    target.addEventListener('abort', object);
    target.removeEventListener('abort', removed);
    target.abort(new Error('gone'));
    target.abort(new Error('again'));
    expect(heard).toEqual(['first', 'object']);
    expect((target.reason as Error).message).toBe('gone');
  });

  it('forgets its one listener when it is removed', () => {
    const target = new AbortTarget();
    const heard: string[] = [];
    const only = { handleEvent: () => heard.push('only') };
    target.addEventListener('abort', only);
    target.removeEventListener('abort', only);
    target.abort();
    expect(heard).toEqual([]);
  });

  it('holds no listener once undici is done with the request', async () => {
    const target = new AbortTarget();
    const seen: string[] = [];
    const add = target.addEventListener.bind(target);
    target.addEventListener = (type, listener) => (seen.push('add'), add(type, listener));
    const response = await pool.request({ method: 'GET', path: '/fast', signal: target.undiciSignal });
    expect(await response.body.text()).toBe('ok');
    expect(seen).toEqual(['add']);
    // undici removes its listener when the body stream closes, just after the body was read.
    await new Promise((resolve) => setImmediate(resolve));
    expect((target as unknown as { listeners?: unknown[] }).listeners ?? []).toHaveLength(0);
    target.abort(new Error('late'));
  });
});
