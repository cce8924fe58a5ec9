import type { Readable } from 'node:stream';
import type { VerifiedIdentity } from '../auth/verified-identity.interface.js';

/** What a request hook sees and may change. */
export interface GatewayRequestContext {
  /** The matched route's id. */
  readonly routeId: string;
  readonly method: string;
  /** Path parameters of the route's pattern (decoded). */
  readonly params: Readonly<Record<string, string>>;
  /** The verified caller, when the request carried a valid credential. */
  readonly identity: VerifiedIdentity | undefined;
  /** The client address (trusted proxies applied). */
  readonly client: string | undefined;
  readonly requestId: string;
  /** Upstream path (percent-encoded, starting with `/`): change it to route elsewhere on the same target. */
  path: string;
  /** Upstream query string without `?` (`''` for none). */
  query: string;
  /** Headers sent upstream (lower-case names), after the gateway's hygiene: change them freely. */
  headers: Record<string, string | string[]>;
  /** A provider of the app (Nest's `ModuleRef.get(token, { strict: false })`). */
  get<T = unknown>(token: string | symbol | (abstract new (...args: never[]) => T)): T;
}

/** What a response hook sees and may change. */
export interface GatewayResponseContext extends Omit<GatewayRequestContext, 'headers' | 'path' | 'query'> {
  /** The request as sent upstream. */
  readonly request: { readonly path: string; readonly query: string; readonly headers: Readonly<Record<string, string | string[]>> };
  /** Status sent to the client. */
  status: number;
  /** Response headers sent to the client (hop-by-hop ones already removed). */
  headers: Record<string, string | string[]>;
  /**
   * The upstream body, streamed. Replace it (a string, bytes or a stream) to transform the response; the
   * gateway then drops `content-length` unless the new body is bytes.
   */
  body: Readable | string | Buffer;
}

/** A request transformation (may be async). */
export type GatewayRequestHook = (context: GatewayRequestContext) => void | Promise<void>;

/** A response transformation (may be async). */
export type GatewayResponseHook = (context: GatewayResponseContext) => void | Promise<void>;
