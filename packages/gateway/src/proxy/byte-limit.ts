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
 * bytes went by, or with a {@link BodyTimeoutError} after `idleTimeout` ms without a chunk while its reader
 * wants one: time spent backed up (the reader not reading) is not the sender's silence. @internal
 */
export class ByteLimit extends Transform {
  private seen = 0;
  private backedUp = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly limit: number,
    private readonly onLimit: () => Error,
    idleTimeout: number,
  ) {
    super();
    // Once the whole body came (writableEnded), nothing is waited for.
    this.timer = setTimeout(() => this.backedUp || this.writableEnded || this.destroy(new BodyTimeoutError(`no body bytes for ${idleTimeout} ms`)), idleTimeout).unref();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) return callback(this.onLimit());
    this.backedUp = !this.push(chunk);
    this.timer.refresh();
    callback();
  }

  /** The reader wants more: the sender's silence counts again, from now. */
  override _read(size: number): void {
    if (this.backedUp) {
      this.backedUp = false;
      if (!this.writableEnded) this.timer.refresh(); // re-arms it if it ran out meanwhile
    }
    super._read(size);
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
