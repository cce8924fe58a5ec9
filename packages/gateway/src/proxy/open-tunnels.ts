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

  /** Tracks `client` until it closes, and says so; `false` once shutdown began: no tunnel may open then. */
  track(client: Duplex): boolean {
    if (this.closing) return false;
    this.clients.add(client);
    client.once('close', () => this.clients.delete(client));
    return true;
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
