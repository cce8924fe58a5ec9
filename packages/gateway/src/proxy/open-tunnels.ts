import type { Duplex } from 'node:stream';

/** How long a tunnel's client has to close after the gateway's FIN at shutdown before its socket is destroyed. */
export const TUNNEL_CLOSE_GRACE = 1_000;

/**
 * The client sockets of one gateway's tunnels (pending or open), so that shutdown can end them: the HTTP server
 * waits for every connection, and a WebSocket client would otherwise hold the app's shutdown for as long as it
 * likes (a rolling deploy then ends in SIGKILL). @internal
 */
export class OpenTunnels {
  private readonly clients = new Set<Duplex>();
  private closing = false;

  /** Shutdown began: no new tunnel opens. */
  get isClosing(): boolean {
    return this.closing;
  }

  /** Tracks `client` until it closes; one arriving after shutdown began is ended at once. */
  track(client: Duplex): void {
    if (this.closing) {
      client.destroy();
      return;
    }
    this.clients.add(client);
    client.once('close', () => this.clients.delete(client));
  }

  /** Ends every tunnel: a FIN to each client (its upstream side follows it), destroyed after `grace` ms if still open. */
  async close(grace = TUNNEL_CLOSE_GRACE): Promise<void> {
    this.closing = true;
    const closed = [...this.clients].map((client) => new Promise((resolve) => client.once('close', resolve).end()));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, grace)))]);
    clearTimeout(timer);
    for (const client of this.clients) client.destroy();
  }
}
