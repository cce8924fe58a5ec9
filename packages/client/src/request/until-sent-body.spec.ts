import { Readable } from 'node:stream';
import { UntilSentBody } from './until-sent-body.js';

const source = () => Readable.from([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')], { objectMode: false });

describe('UntilSentBody', () => {
  it('leaves its source untouched when destroyed before anything was read (undici does that on a refused connection)', async () => {
    const stream = source();
    const body = new UntilSentBody(stream).on('error', () => undefined);
    body.destroy(new Error('connect ECONNREFUSED'));
    await new Promise((resolve) => body.once('close', resolve));
    expect(stream.readableDidRead).toBe(false);
    expect(stream.destroyed).toBe(false);
    // The next attempt gets all of it.
    const chunks: Buffer[] = [];
    for await (const chunk of new UntilSentBody(stream)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('abc');
  });

  it('passes a source error on, and takes its source down when destroyed once reading started', async () => {
    const failing = new Readable({ read() {} });
    const body = new UntilSentBody(failing);
    const failure = new Promise((resolve) => body.once('error', resolve));
    body.resume();
    await new Promise((resolve) => setImmediate(resolve));
    failing.destroy(new Error('disk gone'));
    expect(((await failure) as Error).message).toBe('disk gone');

    const stream = new Readable({ read() {} });
    const reading = new UntilSentBody(stream).on('error', () => undefined);
    reading.resume();
    await new Promise((resolve) => setImmediate(resolve));
    reading.destroy(new Error('socket reset'));
    await new Promise((resolve) => reading.once('close', resolve));
    expect(stream.destroyed).toBe(true);
  });
});
