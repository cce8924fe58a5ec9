import { createServer } from 'node:net';

/**
 * Asks the OS for a port that is free right now on `host`.
 *
 * @example
 * const port = await getFreePort();
 */
export async function getFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error(`getFreePort: no port was assigned on ${host}`));
      });
    });
  });
}

/** Several distinct free ports at once (each one checked free when returned). */
export async function getFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await getFreePort(host));
  return [...ports];
}
