import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { skipUnsolicitedContinue } from './unsolicited-continue.js';

/** A stand-in for a socket (what is written goes nowhere, what is pushed is read): `skipUnsolicitedContinue` only wraps `read` and `write`. */
function fakeSocket(): Socket {
  return new Duplex({ read: () => undefined, write: (_chunk, _encoding, done) => done() }) as unknown as Socket;
}

/** Everything `read()` hands out after `pieces` arrive one by one (as undici reads them). */
function readAll(socket: Socket, pieces: string[]): string {
  let out = '';
  for (const piece of pieces) {
    (socket as unknown as Duplex).push(Buffer.from(piece, 'latin1'));
    for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) out += chunk.toString('latin1');
  }
  return out;
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

describe('skipUnsolicitedContinue', () => {
  it('removes 100 heads at the start of an answer, whole or split across reads; other 1xx pass', () => {
    const socket = skipUnsolicitedContinue(fakeSocket());
    socket.write('GET / HTTP/1.1\r\n\r\n', 'latin1');
    expect(readAll(socket, ['HTTP/1.1 10', '0 Continue\r\n\r', `\nHTTP/1.1 103 Early Hints\r\nLink: <a>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n${OK}`])).toBe(
      `HTTP/1.1 103 Early Hints\r\nLink: <a>\r\n\r\n${OK}`,
    );
  });

  it('looks at nothing after the final status line, nor before a request head was written', () => {
    const socket = skipUnsolicitedContinue(fakeSocket());
    expect(readAll(socket, ['HTTP/1.1 100 Continue\r\n\r\n'])).toBe('HTTP/1.1 100 Continue\r\n\r\n'); // no request yet: undici refuses it
    socket.write('POST / HTTP/1.1\r\ncontent-length: 25\r\n\r\n', 'latin1');
    socket.write(Buffer.from('HTTP/1.1 100 Continue\r\n\r\n')); // a body chunk never starts an answer
    socket.write('\r\n0\r\n\r\n', 'latin1'); // nor chunked framing
    const body = 'HTTP/1.1 100 Continue\r\n\r\n';
    expect(readAll(socket, [`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`, body])).toBe(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  });

  it('hands over the bytes as they are when the answer is not HTTP or a 101', () => {
    const socket = skipUnsolicitedContinue(fakeSocket());
    socket.write('GET / HTTP/1.1\r\n\r\n', 'latin1');
    expect(readAll(socket, ['garbage that is not a status line\r\n\r\n'])).toBe('garbage that is not a status line\r\n\r\n');
    socket.write('GET / HTTP/1.1\r\n\r\n', 'latin1');
    expect(readAll(socket, ['HTTP/1.1 101 Switching Protocols\r\n\r\n'])).toBe('HTTP/1.1 101 Switching Protocols\r\n\r\n');
  });
});
