import { Transform, type TransformCallback } from 'node:stream';

/** A body went over its byte limit. @internal */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** A client stopped sending its body for longer than the body timeout. @internal */
export class BodyTimeoutError extends Error {
  override readonly name = 'BodyTimeoutError';
}

/**
 * Passes bytes through (streaming, with back-pressure) and fails with `onLimit()` once more than `limit`
 * bytes went by, or with a {@link BodyTimeoutError} after `idleTimeout` ms without a chunk. @internal
 */
export class ByteLimit extends Transform {
  private seen = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly limit: number,
    private readonly onLimit: () => Error,
    idleTimeout: number,
  ) {
    super();
    this.timer = setTimeout(() => this.destroy(new BodyTimeoutError(`no body bytes for ${idleTimeout} ms`)), idleTimeout).unref();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) return callback(this.onLimit());
    this.timer.refresh();
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    clearTimeout(this.timer);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.timer);
    callback(error);
  }
}
