/**
 * Whether an answer of `status` never has a body (RFC 9110 §6.4.1: 1xx, 204, 304): whatever an upstream sent
 * after its headers is not a body to relay, and its `Content-Length` is not the length of one. @internal
 */
export function isBodilessStatus(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

/**
 * A flat `[name, value, ...]` header list without `Content-Length`: for a bodiless answer, as a 204 must not carry
 * one (RFC 9110 §8.6), and on a 304 it would be the length of a body that is not sent, which clients such as undici
 * take for a truncated answer and drop the connection; and for an answer whose length is set anew from the body
 * as read (a refused upgrade's). @internal
 */
export function withoutContentLength(headers: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < headers.length; index += 2) {
    if (headers[index] !== 'content-length') kept.push(headers[index], headers[index + 1]);
  }
  return kept;
}
