import { createServer as createHttpServer, maxHeaderSize } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import type { Server } from 'node:http';

/** A real node:http server, typed with the settings Node reads but its types do not list. */
const createServer = () => createHttpServer() as Server & { connectionsCheckingInterval?: number; maxHeaderSize?: number };
import { isGatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { applyServerLimits, connectionsCheckingInterval } from './server-limits.js';

describe('applyServerLimits', () => {
  it('sets the header timeout, and checks it often enough that it holds (a tenth of it, 50 ms to 1 s)', () => {
    const server = createServer();
    applyServerLimits(server, { headersTimeout: 1_000, maxHeaderSize: 8_192 });
    expect(server.headersTimeout).toBe(1_000);
    expect(server.connectionsCheckingInterval).toBe(100);
    expect(server.maxHeaderSize).toBeUndefined(); // below Node's own limit: the gateway's check answers 431
    expect([connectionsCheckingInterval(10_000), connectionsCheckingInterval(100), connectionsCheckingInterval(600_000)]).toEqual([1_000, 50, 1_000]);
  });

  it("raises the server's header limit above Node's when configured so", () => {
    const server = createServer();
    applyServerLimits(server, { headersTimeout: 10_000, maxHeaderSize: maxHeaderSize * 4 });
    expect(server.maxHeaderSize).toBe(maxHeaderSize * 4);
  });

  it('fails with the value and the fix when the server has no header limit to raise', () => {
    const server: NetServer = createNetServer();
    const error = (() => {
      try {
        applyServerLimits(server as unknown as Server, { headersTimeout: 10_000, maxHeaderSize: 65_536 });
      } catch (caught) {
        return caught;
      }
    })();
    expect(isGatewayConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/limits\.maxHeaderSize 65536 is above Node's HTTP header limit \(16384 bytes\).*--max-http-header-size=65536/);
  });
});
