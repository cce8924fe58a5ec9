import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { skipUnsolicitedContinue } from './unsolicited-continue.js';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

/** Until `check()` holds (Jest's timeout fails a test it never does). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A real loopback connection: `client` wrapped and read as undici reads it ('readable', then read() until null), `server` its peer. */
async function connection(server: Server): Promise<{ client: Socket; peer: Socket; received: () => string; send: (pieces: string[]) => Promise<void> }> {
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = skipUnsolicitedContinue(connect((server.address() as AddressInfo).port, '127.0.0.1'));
  const [peer] = await accepted;
  let out = '';
  client.on('readable', () => {
    for (let chunk = client.read() as Buffer | null; chunk !== null; chunk = client.read() as Buffer | null) out += chunk.toString('latin1');
  });
  let sent = 0;
  return {
    client,
    peer,
    received: () => out,
    // Each piece is received before the next is sent: every one is a read of its own.
    send: async (pieces) => {
      for (const piece of pieces) {
        peer.write(piece, 'latin1');
        sent += Buffer.byteLength(piece, 'latin1');
        await until(() => client.bytesRead >= sent);
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('skipUnsolicitedContinue (real loopback sockets)', () => {
  let server: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = createServer((socket) => sockets.push(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
    await once(server, 'close');
  });

  it('removes 100 heads at the start of an answer, whole or split across reads; other 1xx pass', async () => {
    const { client, received, send } = await connection(server);
    client.write('GET / HTTP/1.1\r\n\r\n', 'latin1');
    await send(['HTTP/1.1 10', '0 Continue\r\n\r', `\nHTTP/1.1 103 Early Hints\r\nLink: <a>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n${OK}`]);
    expect(received()).toBe(`HTTP/1.1 103 Early Hints\r\nLink: <a>\r\n\r\n${OK}`);
    client.destroy();
  });

  it('looks at nothing after the final status line, nor before a request head was written', async () => {
    const { client, received, send } = await connection(server);
    await send(['HTTP/1.1 100 Continue\r\n\r\n']); // no request yet: undici refuses it itself
    expect(received()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    const body = 'HTTP/1.1 100 Continue\r\n\r\n';
    client.write(`POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n`, 'latin1');
    await send([`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`]);
    client.write(Buffer.from(body)); // a body chunk never starts an answer
    client.write('\r\n0\r\n\r\n', 'latin1'); // nor chunked framing
    await send([body]);
    expect(received()).toBe(`HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    client.destroy();
  });

  it('hands over the bytes as they are when the answer is not HTTP, or a 101', async () => {
    const { client, received, send } = await connection(server);
    client.write('GET / HTTP/1.1\r\n\r\n', 'latin1');
    await send(['garbage, not a status line\r\n\r\n']);
    client.write('GET / HTTP/1.1\r\n\r\n', 'latin1');
    await send(['HTTP/1.1 101 Switching Protocols\r\n\r\n']);
    expect(received()).toBe('garbage, not a status line\r\n\r\nHTTP/1.1 101 Switching Protocols\r\n\r\n');
    client.destroy();
  });
});
