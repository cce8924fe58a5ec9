/**
 * Whether an answer of `status` never has a body (RFC 9110 §6.4.1: 1xx, 204, 304): whatever an upstream sent
 * after its headers is not a body to relay, and its `Content-Length` is not the length of one. @internal
 */
export function isBodilessStatus(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}
