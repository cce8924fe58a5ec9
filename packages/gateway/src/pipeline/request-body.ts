import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, ByteLimit } from '../proxy/byte-limit.js';

const tooLarge = (maxBodySize: number) => new BodyTooLargeError(`The request body is larger than ${maxBodySize} bytes.`);

/**
 * Whether `req` has a body to forward (a `Content-Length` above 0, or a `Transfer-Encoding`). A declared length
 * over `maxBodySize` throws a `BodyTooLargeError` (413) before anything is read or forwarded. @internal
 */
export function requestHasBody(req: IncomingMessage, maxBodySize: number): boolean {
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > maxBodySize) throw tooLarge(maxBodySize);
  return declared !== undefined ? declared > 0 : req.headers['transfer-encoding'] !== undefined;
}

/**
 * The client's body on its way upstream through `maxBodySize` and the body timeout (ms of silence); `onError`
 * hears of a limit or timeout. An answer sent before the whole body arrived leaves the rest unread, so the
 * connection is closed after it. @internal
 */
export function streamedBody(req: IncomingMessage, res: ServerResponse, maxBodySize: number, bodyTimeout: number, onError: (error: Error) => void): ByteLimit {
  const body = new ByteLimit(maxBodySize, () => tooLarge(maxBodySize), bodyTimeout);
  req.pipe(body);
  body.once('error', (error) => {
    req.unpipe(body);
    onError(error);
  });
  res.once('finish', () => {
    if (!req.complete) req.socket.destroy();
  });
  return body;
}
