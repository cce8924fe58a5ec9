import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { waitFor } from '@nestmesh/testing';
import { endWhenClientGoes, type Abortable } from './client-departure.js';

describe('endWhenClientGoes: the client went away', () => {
  let server: Server;
  let onRequest: (res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((_req, res) => onRequest(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const port = () => (server.address() as AddressInfo).port;

  it('aborts the exchange and destroys the body with one reason when the client leaves before the answer ends', async () => {
    const reasons: Error[] = [];
    const exchange: Abortable = { abort: (reason) => reasons.push(reason) };
    const body = new PassThrough();
    body.on('error', () => undefined);
    onRequest = (res) => {
      endWhenClientGoes(res, exchange, body);
      res.writeHead(200);
      res.write('partial');
    };
    const client = request({ host: '127.0.0.1', port: port(), path: '/' });
    client.on('error', () => undefined);
    client.on('response', (answer) => answer.once('data', () => client.destroy()));
    client.end();
    await waitFor(() => reasons.length === 1 && body.destroyed, { timeout: 10_000 });
    expect(reasons[0].message).toBe('the client went away');
    expect(body.errored).toBe(reasons[0]);
  });

  it('ends nothing once the answer was sent whole', async () => {
    const reasons: Error[] = [];
    const body = new PassThrough();
    let closed!: () => void;
    const resClosed = new Promise<void>((resolve) => (closed = resolve));
    onRequest = (res) => {
      endWhenClientGoes(res, { abort: (reason) => reasons.push(reason) }, body);
      res.once('close', closed);
      res.end('whole');
    };
    await new Promise<void>((resolve, reject) => {
      const client = request({ host: '127.0.0.1', port: port(), path: '/', agent: false }, (answer) => {
        answer.resume();
        answer.on('end', resolve);
      });
      client.on('error', reject);
      client.end();
    });
    await resClosed;
    expect(reasons).toEqual([]);
    expect(body.destroyed).toBe(false);
  });
});
