/** The undici `Pool` kept for each instance. Times are in ms, at most 2147483647 (Node's largest timer). */
export interface PoolOptions {
  /** Keep-alive connections per instance at most. Integer `>= 1`. Default `32`. */
  connections?: number;
  /** An idle keep-alive connection is closed after this long, in ms. Default `4000`. */
  keepAliveTimeout?: number;
  /** Connecting to an instance gives up after this long, in ms (a connect failure, always retried). Default `2000`. */
  connectTimeout?: number;
  /** How long `close()` waits for requests in flight on a departed instance before destroying its sockets, in ms. Default `5000`. */
  closeTimeout?: number;
}
