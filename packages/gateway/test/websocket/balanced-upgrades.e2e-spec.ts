import { getFreePort, waitFor, type BootedNestApp } from '@nestmesh/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';

/** A real WebSocket server that answers each message with its own name. */
async function startNamedSockets(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer();
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket) => socket.on('message', () => socket.send(name)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Opens a tunnel and says which upstream answered (`undefined`: no tunnel), leaving it open. */
function openTunnel(url: string): Promise<{ socket: WebSocket; name: string | undefined; status?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.once('open', () => socket.send('who'));
    socket.once('message', (data) => resolve({ socket, name: String(data) }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ socket, name: undefined, status: response.statusCode });
      socket.terminate();
    });
    socket.once('error', () => resolve({ socket, name: undefined }));
  });
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.terminate();
        }),
    ),
  );
}

describe('WebSocket upgrades choose their instance through the balancer (real WebSocket servers)', () => {
  let upstreams: Array<{ server: Server; port: number }>;
  let closedPort: number;
  beforeAll(async () => {
    upstreams = await Promise.all(['a', 'b'].map(startNamedSockets));
    closedPort = await getFreePort();
  });
  afterAll(async () => {
    for (const { server } of upstreams) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    /** What the `recorded` service's strategy saw: each pick's in-flight count of its one instance. */
    const inFlightAtPick: number[] = [];
    beforeAll(async () => {
      gateway = await bootGatewayApp({
        platform,
        discovery: {
          registry: 'static',
          staticServices: {
            pair: upstreams.map(({ port }, index) => ({ id: `pair-${index}`, address: '127.0.0.1', port })),
            // One live instance and one on a closed loopback port.
            halfdead: [
              { id: 'halfdead-live', address: '127.0.0.1', port: upstreams[0].port },
              { id: 'halfdead-dead', address: '127.0.0.1', port: closedPort },
            ],
            recorded: [{ id: 'recorded-0', address: '127.0.0.1', port: upstreams[0].port }],
          },
        },
        gateway: {
          routes: [
            { prefix: '/pair', service: 'pair', websocket: true },
            { prefix: '/halfdead', service: 'halfdead', websocket: true },
            // The hook puts the decoded room in the path: a space there is a path node:http refuses to send.
            { path: '/recorded/:room', service: 'recorded', websocket: true, onRequest: (context) => void (context.path = `/rooms/${context.params.room}`) },
          ],
          services: {
            pair: { strategy: 'least-request' },
            halfdead: { strategy: 'round-robin', outlierDetection: { consecutiveFailures: 1, baseEjectionTime: 60_000 } },
            recorded: {
              strategy: {
                pick: (candidates) => {
                  inFlightAtPick.push(candidates[0].inFlight);
                  return candidates[0];
                },
              },
            },
          },
        },
      });
    });
    afterAll(() => gateway?.close());

    const ws = (path: string) => `${gateway.url.replace('http', 'ws')}${path}`;

    it('counts an open tunnel in flight until it closes: least-request keeps open tunnels even across instances', async () => {
      const open: WebSocket[] = [];
      const counts: Record<string, number> = { a: 0, b: 0 };
      try {
        for (let index = 0; index < 10; index += 1) {
          const { socket, name } = await openTunnel(ws('/pair/room'));
          open.push(socket);
          expect(name).toMatch(/^[ab]$/);
          counts[name!] += 1;
          // Each new tunnel goes to the instance with fewer open ones: never more than one apart.
          expect(Math.abs(counts.a - counts.b)).toBeLessThanOrEqual(1);
        }
        expect(counts).toEqual({ a: 5, b: 5 });
      } finally {
        await closeAll(open);
      }
      // Closed tunnels are no longer in flight: the next ones spread over both instances again.
      const again: WebSocket[] = [];
      const seen = new Set<string | undefined>();
      try {
        await waitFor(
          async () => {
            const { socket, name } = await openTunnel(ws('/pair/room'));
            again.push(socket);
            seen.add(name);
            return seen.has('a') && seen.has('b');
          },
          { description: 'tunnels on both instances after the first ones closed' },
        );
      } finally {
        await closeAll(again);
      }
    });

    it('releases the instance of an upgrade whose upstream request cannot even be made (a hook-made path node:http refuses)', async () => {
      inFlightAtPick.length = 0;
      for (let index = 0; index < 3; index += 1) {
        const { status } = await openTunnel(ws('/recorded/a%20b'));
        expect(status).toBeGreaterThanOrEqual(500);
      }
      const { socket, name } = await openTunnel(ws('/recorded/ab'));
      await closeAll([socket]);
      expect(name).toBe('a');
      // Nothing left in flight by the refused ones: each pick saw the instance idle.
      expect(inFlightAtPick).toEqual([0, 0, 0, 0]);
    });

    it('ejects an instance whose upgrades cannot connect: later tunnels all reach the live one', async () => {
      const results: Array<string | number | undefined> = [];
      const open: WebSocket[] = [];
      try {
        for (let index = 0; index < 8; index += 1) {
          const { socket, name, status } = await openTunnel(ws('/halfdead/room'));
          open.push(socket);
          results.push(name ?? status);
        }
      } finally {
        await closeAll(open);
      }
      // Round-robin sends the first or second upgrade to the dead instance (502, counted as its failure, which
      // ejects it); every later one goes to the live instance.
      expect(results.filter((result) => result === 502)).toHaveLength(1);
      expect(results.slice(2)).toEqual(Array(6).fill('a'));
    });
  });
});
