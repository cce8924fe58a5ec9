import type { ServerResponse } from 'node:http';

const CHUNK = Buffer.alloc(64 * 1024, 0x61);

/** Until `res` drains or closes (no listener left behind). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes `size` bytes to `res` in 64 KiB chunks, waiting whenever the client's socket is full (back-pressure)
 * and stopping early if the response closes; `onWrite` hears of each chunk's length as it is handed over.
 * Does not end the response.
 *
 * @example
 * let written = 0;
 * await writeBytes(res, 100 * 1024 * 1024, (bytes) => (written += bytes));
 * res.end();
 */
export async function writeBytes(res: ServerResponse, size: number, onWrite: (bytes: number) => void = () => undefined): Promise<void> {
  for (let sent = 0; sent < size && !res.destroyed; sent += CHUNK.length) {
    const chunk = CHUNK.subarray(0, Math.min(CHUNK.length, size - sent));
    onWrite(chunk.length);
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
}
