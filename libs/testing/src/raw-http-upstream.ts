import { createServer, type AddressInfo, type Socket } from 'node:net';

/** A loopback TCP server that answers HTTP/1.1 requests with raw bytes. */
export interface RawHttpUpstream {
  readonly url: string;
  readonly port: number;
  /** The head (request line and headers) of every request received, in order. */
  readonly requests: string[];
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * What a {@link RawHttpUpstream} writes for one request, as it is, on the same connection: bytes, or pieces
 * written 20 ms apart (so they arrive as separate reads).
 */
export type RawAnswer = (head: string) => string | Buffer | ReadonlyArray<string | Buffer>;

const PIECE_GAP_MS = 20;

async function writePieces(socket: Socket, pieces: ReadonlyArray<string | Buffer>): Promise<void> {
  for (const [index, piece] of pieces.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, PIECE_GAP_MS));
    if (socket.destroyed) return;
    socket.write(piece);
  }
}

/**
 * Starts a TCP server on a free loopback port that reads each request (its head up to the blank line, then as
 * many body bytes as its `Content-Length` says; chunked request bodies are not read) and writes `answer(head)`
 * as raw bytes, keeping the connection
 * open for the next request. For what a real HTTP server will not send but an upstream may: an unsolicited
 * `100 Continue` before the answer, a `204` with a body, a `304` with a `Content-Length`.
 *
 * @example
 * const upstream = await startRawHttpUpstream(() => 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
 */
export async function startRawHttpUpstream(answer: RawAnswer): Promise<RawHttpUpstream> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    let bodyLeft = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (bodyLeft > 0) {
          const skipped = Math.min(bodyLeft, buffered.length);
          bodyLeft -= skipped;
          buffered = buffered.subarray(skipped);
          if (bodyLeft > 0) return;
        }
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buffered.subarray(0, end).toString('latin1');
        buffered = buffered.subarray(end + 4);
        bodyLeft = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        requests.push(head);
        const bytes = answer(head);
        if (typeof bytes === 'string' || Buffer.isBuffer(bytes)) socket.write(bytes);
        else void writePieces(socket, bytes as ReadonlyArray<string | Buffer>);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
