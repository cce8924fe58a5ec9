/** Header carrying the time left of a call's deadline, in whole milliseconds, to the instance that serves it. */
export const DEADLINE_HEADER = 'x-nestmesh-deadline-ms';

/** Headers copied from the incoming request onto outgoing calls by default. */
export const DEFAULT_PROPAGATED_HEADERS: readonly string[] = ['x-request-id', 'traceparent', 'tracestate'];

/** Methods that may be retried without an `Idempotency-Key` (RFC 9110 idempotent methods, minus TRACE). */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Header that makes a non-idempotent request retryable. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** Prefix of the injection tokens of the per-service clients. @internal */
export const SERVICE_CLIENT_TOKEN_PREFIX = 'NESTMESH:client:';
