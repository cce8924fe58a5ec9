import type { Server } from 'node:http';
import { sleep } from '../utils/sleep.js';

/** Counts the requests `server` is answering; the returned function waits until none is, or `timeout` ms. @internal */
export function trackInFlightRequests(server: Server): (timeout: number) => Promise<void> {
  let count = 0;
  server.on('request', (_request, response) => {
    count += 1;
    response.once('close', () => (count -= 1));
  });
  return async (timeout) => {
    const deadline = Date.now() + timeout;
    while (count > 0 && Date.now() < deadline) await sleep(Math.min(25, deadline - Date.now()));
  };
}
