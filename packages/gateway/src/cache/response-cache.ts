import { isServiceTimeoutError } from '@nestmesh/client';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { CompiledRoute } from '../routing/compiled-route.js';
import { DEFAULT_API_KEY_HEADER } from '../auth/credentials.js';
import { cacheKeys, type CacheKeyInput, type CacheKeys } from './cache-key.js';
import { ageOf, parseCacheControl, storability, varyNames } from './cache-control.js';
import type { CacheStore, CachedResponse } from './cache-store.interface.js';
import { VaryVariants } from './vary-variants.js';
import { returnedResponseHeaders } from '../pipeline/returned-response-headers.js';
import type { UpstreamAnswer } from '../pipeline/streamed-answer.js';

/** One cacheable request, as the proxy hands it over. @internal */
export interface CacheableRequest extends CacheKeyInput {
  readonly route: CompiledRoute;
  readonly method: string;
  /** The client's headers (its `Cache-Control`); `Vary` is matched on `upstreamHeaders`. */
  readonly requestHeaders: IncomingHttpHeaders;
  fetch(): Promise<UpstreamAnswer>;
  respond(answer: UpstreamAnswer, cacheStatus: 'HIT' | 'MISS' | 'BYPASS'): Promise<void>;
}

/**
 * An answer that is a timeout (an aggregation's 504 when every leg ran out of time), thrown by a fetch instead of
 * returned: the misses waiting on the same key then get it too, as they get a leader's `ServiceTimeoutError`,
 * rather than asking again and waiting one more deadline each. @internal
 */
export class TimedOutAnswer extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: Buffer,
  ) {
    super('the upstream answer is a timeout');
  }
}

/**
 * The gateway's response cache (GET and HEAD of routes that opt in), keyed by {@link cacheKeys} (the caller's
 * own key unless the answer is public) and by the values of the headers an answer's `Vary` names (up to
 * `maxVariants` variants per URL). Concurrent misses of one key wait for the first one's answer instead of each
 * asking the upstream. Answers carry `X-Cache: HIT | MISS | BYPASS`. @internal
 */
export class ResponseCache {
  /** The misses under way, by the caller's own key: each resolves to its failure, if any. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly variants: VaryVariants;
  /** Request headers that carry a credential, lower-case: `Authorization`, `Cookie` and the API-key header. */
  private readonly credentialHeaders: readonly string[];

  constructor(
    private readonly store: CacheStore,
    private readonly maxEntryBytes: number,
    maxVariants = 8,
    apiKeyHeader = DEFAULT_API_KEY_HEADER,
  ) {
    this.variants = new VaryVariants(store, maxVariants);
    this.credentialHeaders = [...new Set(['authorization', 'cookie', apiKeyHeader.toLowerCase()])];
  }

  async handle(request: CacheableRequest): Promise<void> {
    const cc = parseCacheControl(request.requestHeaders['cache-control']);
    if (cc.has('no-store') || cc.has('no-cache')) return request.respond(await request.fetch(), 'BYPASS');
    const keys = cacheKeys(request, this.credentialHeaders);
    const hit = await this.lookup(keys, request);
    if (hit) return this.serve(hit, request);
    // The caller's own key names the route, URL and caller: concurrent misses that share it may share one answer.
    const leader = this.inFlight.get(keys.own);
    if (leader) {
      // The leader's deadline passed: these waited about as long, so they fail alike (not one more deadline each).
      const failure = await leader;
      if (isServiceTimeoutError(failure) || failure instanceof TimedOutAnswer) throw failure;
      const after = await this.lookup(keys, request);
      // Else another variant (Vary) than the leader's, or an answer it could not store: fetch, and store this one.
      return after ? this.serve(after, request) : this.fetchAndStore(request, keys);
    }
    if (request.method === 'HEAD') return this.fetchAndStore(request, keys); // stores nothing: leads no one
    const flight = this.fetchAndStore(request, keys);
    this.inFlight.set(keys.own, flight.then(() => undefined, (error: unknown) => error));
    try {
      await flight;
    } finally {
      this.inFlight.delete(keys.own);
    }
  }

  /** The entry any caller may be served, else this caller's own. */
  private async lookup(keys: CacheKeys, request: CacheableRequest): Promise<CachedResponse | undefined> {
    // Vary is matched on the request the upstream got (X-User-Id set, Connection-named headers gone), not the client's.
    const { upstreamHeaders } = request;
    // Both at once: a Redis that hangs costs one cache.timeout, not two.
    const [shared, own] = await Promise.all([this.variants.get(keys.shared, upstreamHeaders), this.variants.get(keys.own, upstreamHeaders)]);
    return shared ?? own;
  }

  private serve(entry: CachedResponse, request: CacheableRequest): Promise<void> {
    const headers = { ...entry.headers, age: String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000))) };
    return request.respond({ status: entry.status, headers, body: Readable.from([entry.body]) as UpstreamAnswer['body'] }, 'HIT');
  }

  private async fetchAndStore(request: CacheableRequest, keys: CacheKeys): Promise<void> {
    const answer = await request.fetch();
    // As RFC 9111 §3.5 has it for Authorization (and Varnish and most CDNs for Cookie): an answer to a request
    // with a credential lives only as long as the upstream said, and is shared only when it said `public`/`s-maxage`.
    const defaultTtl = keys.credentialed ? 0 : request.route.cache!.defaultTtl;
    const { ttl, shared } = storability(answer.status, answer.headers, defaultTtl, request.route.cache!.maxTtl);
    if (ttl <= 0 || request.method === 'HEAD' || Number(answer.headers['content-length'] ?? 0) > this.maxEntryBytes) {
      return request.respond(answer, 'MISS');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const iterator = answer.body[Symbol.asyncIterator]();
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      chunks.push(next.value as Buffer);
      size += (next.value as Buffer).length;
      if (size > this.maxEntryBytes) {
        // Too large to keep: send what was read, then the rest as it comes; a client that goes away ends both.
        const rest = new Readable({
          read() {
            if (chunks.length > 0) return void this.push(chunks.shift());
            iterator.next().then((more) => this.push(more.done ? null : more.value), (error: Error) => this.destroy(error));
          },
          destroy(error, done) {
            answer.body.destroy();
            done(error);
          },
        });
        return request.respond({ ...answer, body: rest as UpstreamAnswer['body'] }, 'MISS');
      }
    }
    const body = Buffer.concat(chunks);
    const headers = returnedResponseHeaders(answer.headers, undefined);
    const entry = { status: answer.status, headers, body, storedAt: Date.now() - ageOf(answer.headers) }; // Age goes on from the upstream's
    await this.variants.set(shared ? keys.shared : keys.own, entry, varyNames(answer.headers), request.upstreamHeaders, ttl);
    await request.respond({ ...answer, body: Readable.from([body]) as UpstreamAnswer['body'] }, 'MISS');
  }

  /** Waits for the store to be usable (a Redis connection), within its own bound. */
  async ready(): Promise<void> {
    await this.store.ready?.();
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
