import { STATUS_CODES, type ServerResponse } from 'node:http';

/** An RFC 9457 problem, as the gateway answers its own errors. */
export interface ProblemDetails {
  readonly status: number;
  /** Client-safe explanation (never an upstream's internals). */
  readonly detail: string;
  /** Extra response headers (`WWW-Authenticate`, `Retry-After`...). */
  readonly headers?: Record<string, string | number>;
  /** Close the connection after answering (a request whose framing cannot be trusted). */
  readonly close?: boolean;
  /** Extension members of the body (RFC 9457 §3.2), after the standard ones: an aggregation route's `errors`. */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** The JSON text of an RFC 9457 problem: `type` `about:blank`, `title` the status text, `status`, `detail`, `instance` when known, `requestId`. @internal */
export function problemBody(problem: ProblemDetails, instance: string | undefined, requestId: string): string {
  return JSON.stringify({
    type: 'about:blank',
    title: STATUS_CODES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    instance, // JSON leaves it out when undefined
    requestId,
    ...problem.extensions,
  });
}

/**
 * Answers `application/problem+json` ({@link problemBody}) with `X-Request-Id`; once headers are out, it can only
 * cut the connection. @internal
 */
export function sendProblem(res: ServerResponse, problem: ProblemDetails, instance: string | undefined, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = problemBody(problem, instance, requestId);
  const headers: Record<string, string | number> = {
    ...problem.headers,
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-request-id': requestId,
  };
  if (problem.close) headers.connection = 'close';
  res.writeHead(problem.status, headers);
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}
