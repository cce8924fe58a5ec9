import type { Socket } from 'node:net';
import { buildConnector, errors } from 'undici';

/** Longest interim (1xx) head held back while it is incomplete; beyond, undici gets the bytes as they are. */
const MAX_INTERIM_HEAD = 16 * 1024;
/** `HTTP/1.x NNN` */
const STATUS_LINE_LENGTH = 12;
const CR = 13;

const HTTP_1 = Buffer.from('HTTP/1.', 'latin1');

/** The status code of the status line at `offset` (`HTTP/1.x NNN`), `-1` if the bytes there are not one. No allocation. */
function statusAt(data: Buffer, offset: number): number {
  for (let index = 0; index < HTTP_1.length; index += 1) if (data[offset + index] !== HTTP_1[index]) return -1;
  if (data[offset + 8] !== 0x20) return -1;
  let status = 0;
  for (let index = offset + 9; index < offset + 12; index += 1) {
    const digit = data[index] - 0x30;
    if (digit < 0 || digit > 9) return -1;
    status = status * 10 + digit;
  }
  return status;
}

/** Whether `status` is an interim answer (1xx) undici's parser continues after: every one but `101 Switching Protocols`. */
const isInterim = (status: number) => status >= 100 && status <= 199 && status !== 101;

/**
 * @internal Makes an upstream connection skip a `100 Continue` the server sends unasked (RFC 9110 §15.2: a client
 * must parse any 1xx before the final answer). undici takes any `100` for a broken answer (it never sends
 * `Expect: 100-continue` over HTTP/1.1) and fails the request and the connection, so its parser must never see
 * one: every `100` head at the start of an answer is removed; other 1xx (`103 Early Hints`) pass, undici skips them.
 * undici writes each request's head as one `latin1` string starting with the method (bodies are buffers, chunked
 * framing strings start with CR), with pipelining 1 only once the previous answer is complete: the first bytes
 * received after a head begin its answer. After the final status line nothing is looked at: a body is never
 * rewritten, and a plain exchange costs one flag check per read and per write.
 */
export function skipUnsolicitedContinue<T extends Socket>(socket: T): T {
  const write = socket.write;
  const read = socket.read;
  let atAnswer = false;
  let held: Buffer | undefined;
  socket.write = function (this: T, data: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (typeof data === 'string' && encoding === 'latin1' && data.charCodeAt(0) !== CR) atAnswer = true;
    return (write as (data: unknown, encoding?: unknown, callback?: unknown) => boolean).call(this, data, encoding, callback);
  } as T['write'];
  socket.read = function (this: T, size?: number): unknown {
    if (!atAnswer || size !== undefined) return read.call(this, size);
    for (;;) {
      const chunk = read.call(this) as Buffer | null;
      if (chunk === null) return null; // what is held waits for more bytes
      if (held === undefined && chunk.length >= STATUS_LINE_LENGTH && !isInterim(statusAt(chunk, 0))) {
        atAnswer = false; // the common case: the final answer straight away
        return chunk;
      }
      const data = held ? Buffer.concat([held, chunk]) : chunk;
      held = undefined;
      const kept: Buffer[] = [];
      let offset = 0;
      for (;;) {
        if (data.length - offset < STATUS_LINE_LENGTH) {
          held = data.subarray(offset);
          break;
        }
        const status = statusAt(data, offset);
        const end = isInterim(status) ? data.indexOf('\r\n\r\n', offset, 'latin1') : -1;
        if (end === -1) {
          // The final answer (or not HTTP at all: undici's parser says so), or an interim head too long to hold back.
          if (!isInterim(status) || data.length - offset > MAX_INTERIM_HEAD) {
            atAnswer = false;
            kept.push(data.subarray(offset));
          } else held = data.subarray(offset);
          break;
        }
        if (status !== 100) kept.push(data.subarray(offset, end + 4));
        offset = end + 4;
      }
      if (kept.length > 0) return kept.length === 1 ? kept[0] : Buffer.concat(kept);
    }
  } as T['read'];
  return socket;
}

/**
 * undici's connector (`buildConnector(options)`, as a `Pool` builds it) with {@link skipUnsolicitedContinue} on
 * each connection, for pools with pipelining 1, and its `timeout` (default 10 s) on a timer of its own, exact to the
 * millisecond (undici's ticks at about 1 s), a TLS handshake included. Exported by `@nestmesh/client/relay`.
 *
 * @example
 * new Pool(origin, { connect: continueSkippingConnector({ timeout: 2_000 }) });
 */
export function continueSkippingConnector({ timeout = 10_000, ...options }: buildConnector.BuildOptions): buildConnector.connector {
  const connect = buildConnector({ ...options, timeout: 0 }) as (...args: Parameters<buildConnector.connector>) => Socket;
  return (target, callback) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    const socket = connect(target, (error, connected) => {
      settled = true;
      clearTimeout(timer);
      if (error) return callback(error, null);
      callback(null, skipUnsolicitedContinue(connected!));
    });
    if (timeout > 0 && !settled) timer = setTimeout(() => socket.destroy(new errors.ConnectTimeoutError(`Connect Timeout Error (${target.hostname}:${target.port}, timeout: ${timeout} ms)`)), timeout);
  };
}
