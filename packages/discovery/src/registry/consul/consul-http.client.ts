import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { RegistryUnreachableError } from '../../errors/registry-unreachable.error.js';
import { messages } from '../../errors/messages.constants.js';

/** A Consul answer: status, parsed JSON body (or text) and the `X-Consul-Index` header. @internal */
export interface ConsulResponse<T> {
  status: number;
  body: T;
  text: string;
  index: number | undefined;
}

/** Where and how to reach Consul. @internal */
export interface ConsulEndpoint {
  baseUrl: URL;
  token?: string;
  datacenter?: string;
  /** HTTPS only: the CA that signed Consul's certificate, and whether to verify it (default true). */
  tls?: { ca?: Buffer; rejectUnauthorized?: boolean };
}

/**
 * A small Consul HTTP API client over `node:http` with its own keep-alive agent, so every socket it opens is
 * closed by {@link close} (no leaked sockets at shutdown), and every call is bounded by a timeout and a signal.
 * @internal
 */
export class ConsulHttpClient {
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;

  constructor(readonly endpoint: ConsulEndpoint) {
    const secure = endpoint.baseUrl.protocol === 'https:';
    this.agent = secure ? new HttpsAgent({ keepAlive: true, ca: endpoint.tls?.ca, rejectUnauthorized: endpoint.tls?.rejectUnauthorized ?? true }) : new HttpAgent({ keepAlive: true });
    this.send = secure ? httpsRequest : httpRequest;
  }

  get address(): string {
    return this.endpoint.baseUrl.origin;
  }

  async request<T = unknown>(
    method: 'GET' | 'PUT',
    path: string,
    { query, body, timeout, signal }: { query?: Record<string, string | number | boolean | undefined>; body?: unknown; timeout: number; signal?: AbortSignal },
  ): Promise<ConsulResponse<T>> {
    const url = new URL(path, this.endpoint.baseUrl);
    // Only catalog and health reads take a datacenter; the agent API is always the local agent's.
    if (this.endpoint.datacenter && !path.startsWith('/v1/agent/')) url.searchParams.set('dc', this.endpoint.datacenter);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === true) url.searchParams.set(key, '');
      else if (value !== undefined && value !== false) url.searchParams.set(key, String(value));
    }
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.endpoint.token) headers['x-consul-token'] = this.endpoint.token;
    if (payload !== undefined) headers['content-type'] = 'application/json';

    return new Promise<ConsulResponse<T>>((resolve, reject) => {
      const fail = (detail: string, cause?: unknown) =>
        reject(new RegistryUnreachableError(messages.consulUnreachable(this.address, detail), this.address, { cause }));
      if (signal?.aborted) return fail('the request was aborted');
      const req = this.send(url, { method, headers, agent: this.agent, signal }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => fail(error.message, error));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          const indexHeader = res.headers['x-consul-index'];
          const index = typeof indexHeader === 'string' && /^\d+$/.test(indexHeader) ? Number(indexHeader) : undefined;
          let parsed: unknown = text;
          if (text && (res.headers['content-type'] ?? '').includes('json')) {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
          }
          resolve({ status, body: parsed as T, text, index });
        });
      });
      req.setTimeout(timeout, () => req.destroy(new Error(`no answer within ${timeout} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => fail(error.code ? `${error.code} ${error.message}` : error.message, error));
      req.end(payload);
    });
  }

  /** Like {@link request}, but rejects on a non-2xx answer with Consul's message. */
  async expectOk<T = unknown>(what: string, method: 'GET' | 'PUT', path: string, options: Parameters<ConsulHttpClient['request']>[2]): Promise<ConsulResponse<T>> {
    return this.assertOk(what, await this.request<T>(method, path, options));
  }

  /** Returns `response` when it is 2xx, else throws a {@link RegistryUnreachableError} with Consul's message. */
  assertOk<T>(what: string, response: ConsulResponse<T>): ConsulResponse<T> {
    if (response.status < 200 || response.status >= 300) {
      throw new RegistryUnreachableError(messages.consulRejected(this.address, what, response.status, response.text), this.address);
    }
    return response;
  }

  /** Closes every socket this client opened. */
  close(): void {
    this.agent.destroy();
  }
}
