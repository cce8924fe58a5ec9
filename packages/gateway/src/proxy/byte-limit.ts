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
 * bytes went by, or with a {@link BodyTimeoutError} after `idleTimeout` ms without a chunk (0: none). @internal
 */
export class ByteLimit extends Transform {
  private seen = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limit: number,
    private readonly onLimit: () => Error,
    private readonly idleTimeout = 0,
  ) {
    super();
    this.arm();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) return callback(this.onLimit());
    this.arm();
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.disarm();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.disarm();
    callback(error);
  }

  private arm(): void {
    if (this.idleTimeout <= 0) return;
    if (this.timer) this.timer.refresh();
    else {
      this.timer = setTimeout(() => this.destroy(new BodyTimeoutError(`no body bytes for ${this.idleTimeout} ms`)), this.idleTimeout);
      this.timer.unref();
    }
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
