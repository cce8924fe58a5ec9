import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { BodyTimeoutError, ByteLimit } from './byte-limit.js';

const IDLE = 100;
const tooLarge = () => new Error('too large');

describe('ByteLimit idle timeout', () => {
  it('does not count the time its reader is backed up, and counts the sender’s silence again once the reader reads', async () => {
    const limit = new ByteLimit(1024 * 1024, tooLarge, IDLE);
    const errors: Error[] = [];
    limit.on('error', (error: Error) => errors.push(error));
    // One chunk over the readable high-water mark, nobody reading: backed up, with nothing more written after it.
    limit.write(Buffer.alloc(64 * 1024));
    await sleep(IDLE * 3);
    expect(errors).toEqual([]);
    // The reader catches up; the sender stays silent: that silence is the sender's, and ends the body.
    limit.resume();
    const [error] = (await once(limit, 'error')) as [Error];
    expect(error).toBeInstanceOf(BodyTimeoutError);
  });

  it('waits for nothing once the whole body came', async () => {
    const limit = new ByteLimit(1024, tooLarge, IDLE);
    const errors: Error[] = [];
    limit.on('error', (error: Error) => errors.push(error));
    limit.end(Buffer.alloc(10));
    await sleep(IDLE * 3);
    limit.resume();
    await once(limit, 'end');
    await sleep(IDLE * 2);
    expect(errors).toEqual([]);
  });
});
