// Upstream HTTP servers for the client benchmark, in their own process so that the client's event loop is
// measured alone. argv: the delay of each server in ms. Prints one JSON line with their ports.
import { createServer } from 'node:http';
import { setTimeout } from 'node:timers';

const delays = process.argv.slice(2).map(Number);
const ports = await Promise.all(
  delays.map(
    (delay) =>
      new Promise((resolve) => {
        const server = createServer((_req, res) => {
          if (delay === 0) res.end('ok');
          else setTimeout(() => res.end('ok'), delay);
        });
        server.keepAliveTimeout = 60_000;
        server.listen(0, '127.0.0.1', () => resolve(server.address().port));
      }),
  ),
);
process.stdout.write(`${JSON.stringify(ports)}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
