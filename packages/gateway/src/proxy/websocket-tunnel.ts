import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect as connectTls } from 'node:tls';

/** Where a WebSocket tunnel goes. @internal */
export interface TunnelTarget {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

/** Answers an upgrade request the gateway refuses, as a plain HTTP answer on the raw socket, then closes it. @internal */
export function refuseUpgrade(socket: Duplex, status: number, headers: Record<string, string | number> = {}): void {
  if (socket.destroyed) return;
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`, 'connection: close', 'content-length: 0', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  socket.end(`${lines.join('\r\n')}\r\n\r\n`);
}

/**
 * Opens a TCP (or TLS) connection to the upstream, sends the upgrade request (the gateway's cleaned headers, plus
 * `Connection: Upgrade` and the client's `Upgrade`), then pipes bytes both ways until either side closes. The
 * upstream's own answer (101 or a refusal) goes back to the client as it is. @internal
 */
export function openTunnel(req: IncomingMessage, client: Duplex, head: Buffer, target: TunnelTarget, path: string, headers: Record<string, string | string[]>, connectTimeout = 5_000): void {
  const upstream: Socket = target.tls ? connectTls({ host: target.host, port: target.port, servername: target.host }) : connect({ host: target.host, port: target.port });
  const fail = () => {
    upstream.destroy();
    if (!client.destroyed) refuseUpgrade(client, 502);
  };
  upstream.setTimeout(connectTimeout, fail);
  upstream.once('error', fail);
  client.once('error', () => upstream.destroy());
  upstream.once(target.tls ? 'secureConnect' : 'connect', () => {
    upstream.setTimeout(0);
    upstream.off('error', fail);
    upstream.once('error', () => client.destroy());
    const lines = [`${req.method ?? 'GET'} ${path} HTTP/1.1`, `host: ${target.host}:${target.port}`];
    for (const [name, value] of Object.entries(headers)) for (const item of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${item}`);
    lines.push('connection: Upgrade', `upgrade: ${String(req.headers.upgrade)}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
    upstream.once('close', () => client.destroy());
    client.once('close', () => upstream.destroy());
  });
}
