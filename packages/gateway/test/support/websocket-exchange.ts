import { WebSocket } from 'ws';

/** What one WebSocket exchange gave: the JSON reply to "hello" (status 101), or the refusal; `{}` for a failed connection. */
export interface WebSocketExchange {
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
  body?: string;
  reply?: Record<string, unknown>;
}

/** Opens a real WebSocket to `url`, sends "hello" and reads the JSON reply; or reads the refusal (status, headers, body). */
export function websocketExchange(url: string, headers: Record<string, string> = {}): Promise<WebSocketExchange> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => socket.send('hello'));
    socket.once('message', (data) => {
      resolve({ status: 101, reply: JSON.parse(String(data)) as Record<string, unknown> });
      socket.close();
    });
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += String(chunk)));
      response.on('end', () => {
        resolve({ status: response.statusCode, headers: response.headers, body });
        socket.terminate();
      });
    });
    socket.once('error', () => resolve({}));
  });
}
