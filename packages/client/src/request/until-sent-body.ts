import { Readable } from 'node:stream';

const ignore = (): void => undefined;

/**
 * @internal The body undici gets for one attempt of a call with a stream body that another attempt may still
 * need: it reads `source` only once undici reads from it, which undici does only once a connection took the
 * request. undici destroys a request's body stream whenever the request fails (a refused connection included):
 * destroying this one leaves an unread `source` intact, so a connect failure can still be retried elsewhere with
 * the whole body. Once reading started, `source` shares its fate (destroyed with it).
 */
export class UntilSentBody extends Readable {
  private started = false;
  private readonly onData = (chunk: Buffer): void => {
    if (!this.push(chunk)) this.source.pause();
  };
  private readonly onEnd = (): void => void this.push(null);
  private readonly onError = (error: Error): void => void this.destroy(error);

  constructor(private readonly source: Readable) {
    super();
  }

  override _read(): void {
    if (this.started) {
      this.source.resume();
      return;
    }
    this.started = true;
    this.source.on('data', this.onData).once('end', this.onEnd).once('error', this.onError);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const { source } = this;
    source.off('data', this.onData).off('end', this.onEnd).off('error', this.onError);
    // As undici does with a body it destroys: the call reports the failure, the stream must not crash the process.
    if (this.started && !source.readableEnded) source.on('error', ignore).destroy(error ?? undefined);
    callback(error);
  }
}
