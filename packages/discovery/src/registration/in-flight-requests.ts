import type { Server } from 'node:http';
import { sleep } from '../utils/sleep.js';

/** Counts the HTTP requests a server is answering, so a drain can wait for them. @internal */
export class InFlightRequests {
  private count = 0;

  track(server: Server): void {
    server.on('request', (_request, response) => {
      this.count += 1;
      response.once('close', () => (this.count -= 1));
    });
  }

  /** Resolves when no request is in flight, or after `timeout` ms. */
  async settle(timeout: number, pollEvery = 25): Promise<void> {
    const deadline = Date.now() + timeout;
    while (this.count > 0 && Date.now() < deadline) await sleep(Math.min(pollEvery, deadline - Date.now()));
  }
}
