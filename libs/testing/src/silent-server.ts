import { createServer, type AddressInfo, type Socket } from 'node:net';

/** A loopback TCP server that accepts connections and never answers (see {@link startSilentServer}). */
export interface SilentServer {
  readonly port: number;
  /** The connections still open (a client that closes one is seen: what arrives is read and dropped). */
  readonly open: ReadonlySet<Socket>;
  /** Destroys the open connections and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a TCP server that accepts and stays silent: a TLS handshake, an HTTP request or a Redis command to it never
 * gets an answer. What clients send is read and dropped, so a client closing its connection is seen at once.
 *
 * @example
 * const silent = await startSilentServer(); // https://127.0.0.1:${silent.port} never completes a handshake
 */
export async function startSilentServer(host = '127.0.0.1'): Promise<SilentServer> {
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    open.add(socket);
    socket.resume();
    socket.on('error', () => undefined);
    socket.once('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    open,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
