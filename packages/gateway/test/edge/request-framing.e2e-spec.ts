import { startHttpUpstream, type HttpUpstream } from '@nestmesh/testing';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { assertUnambiguousFraming, isAmbiguousFramingError } from '../../src/index.js';

/** Writes `raw` on a fresh TCP connection and returns the status line of the answer. */
function statusLineOf(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(raw));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer.split('\r\n')[0]));
    socket.on('error', reject);
  });
}

const SMUGGLING = {
  'Content-Length with Transfer-Encoding': 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: a\r\n\r\n',
  'two different Content-Lengths': 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 40\r\n\r\nhello',
};

describe('request smuggling, against real node:http servers', () => {
  let strict: HttpUpstream;
  let lenient: Server;

  beforeAll(async () => {
    strict = await startHttpUpstream();
    // With insecureHTTPParser, Node lets ambiguous framing through: the edge check is what refuses it then.
    lenient = createServer({ insecureHTTPParser: true }, (request, response) => {
      try {
        assertUnambiguousFraming(request.rawHeaders);
        response.end('forwarded');
      } catch (error) {
        response.writeHead(isAmbiguousFramingError(error) ? error.status : 500, { connection: 'close' }).end();
      }
    });
    await new Promise<void>((resolve) => lenient.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await strict?.close();
    lenient?.closeAllConnections();
    await new Promise((resolve) => lenient?.close(resolve));
  });

  it.each(Object.entries(SMUGGLING))('%s: Node’s parser answers 400 and no request reaches the handler', async (_, raw) => {
    expect(await statusLineOf(strict.port, raw)).toBe('HTTP/1.1 400 Bad Request');
    expect(strict.requests).toHaveLength(0);
  });

  // Node refuses two different Content-Lengths even when lenient; Content-Length with Transfer-Encoding it lets through.
  it('Content-Length with Transfer-Encoding: with a lenient parser, assertUnambiguousFraming answers 400', async () => {
    expect(await statusLineOf((lenient.address() as AddressInfo).port, SMUGGLING['Content-Length with Transfer-Encoding'])).toBe('HTTP/1.1 400 Bad Request');
  });

  it('lets a plain request through', async () => {
    expect(await statusLineOf((lenient.address() as AddressInfo).port, 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello')).toBe('HTTP/1.1 200 OK');
  });
});
