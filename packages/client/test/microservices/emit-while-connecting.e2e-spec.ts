import { ManagedProcess, waitFor } from '@nestmesh/testing';
import { getServiceClientProxyToken, ServiceTimeoutError, type ServiceClientProxy } from '@nestmesh/client';
import { connect, type Socket } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { bootClientApp, rejection } from '../support/client-app.js';

/**
 * A TCP instance whose connection cannot be made yet: a real server in its own process, stopped (SIGSTOP) with its
 * accept queue full, so the kernel drops the client's SYN and retries it about a second later. What the server
 * reads is printed, so the test sees whether an event arrived.
 */
const SERVER = `
const server = require('node:net').createServer((socket) => socket.on('data', (data) => process.stdout.write('read:' + data.toString('latin1') + '\\n')).on('error', () => {}));
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => process.stdout.write('port:' + server.address().port + '\\n'));
`;

describe('emit() whose deadline ends while the connection is still being made', () => {
  let server: ManagedProcess;
  const fillers: Socket[] = [];

  beforeAll(async () => {
    server = ManagedProcess.start(process.execPath, ['-e', SERVER], 'stopped TCP server');
    await server.waitForOutput(/port:\d+/);
  });
  afterAll(async () => {
    for (const socket of fillers) socket.destroy();
    server.child.kill('SIGCONT');
    await server.stop('SIGKILL');
  });

  it('is never written once the caller got its ServiceTimeoutError, though the connection succeeds later', async () => {
    const port = Number(/port:(\d+)/.exec(server.log)![1]);
    server.child.kill('SIGSTOP');
    // Fill the accept queue (backlog 1 holds two): further SYNs to it are dropped until the server accepts again.
    for (let index = 0; index < 3; index += 1) fillers.push(connect(port, '127.0.0.1').on('error', () => undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { audit: [{ id: 'audit-0', address: '127.0.0.1', port, ports: { tcp: port } }] } },
      clients: { services: { audit: { deadline: 300, retry: false } } },
    });
    try {
      const proxy = app.app.get<ServiceClientProxy>(getServiceClientProxyToken('audit'));
      expect(await rejection(firstValueFrom(proxy.emit('audit.recorded', { marker: 'LATE-EVENT' })))).toBeInstanceOf(ServiceTimeoutError);
      // The server accepts again; the client's SYN, retried, now makes the connection.
      server.child.kill('SIGCONT');
      await waitFor(() => fillers.every((socket) => socket.readyState === 'open'), { timeout: 5_000, description: 'the queued connections accepted' });
      // A later event on that service is delivered, so the connection works; the timed-out one must not come with it.
      await waitFor(
        async () => {
          await firstValueFrom(proxy.emit('audit.recorded', { marker: 'NEXT-EVENT' })).catch(() => undefined);
          return server.log.includes('NEXT-EVENT');
        },
        { timeout: 8_000, description: 'a later event delivered' },
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(server.log).not.toContain('LATE-EVENT');
    } finally {
      await app.close();
    }
  });
});
