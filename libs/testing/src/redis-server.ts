import { getFreePort } from './free-port.js';
import { ManagedProcess } from './managed-process.js';

/** A running Redis server. */
export interface RedisServer {
  readonly host: string;
  readonly port: number;
  /** `redis://host:port`. */
  readonly url: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Default: a free port. Pass the port of a stopped server to start it again where clients expect it. */
  port?: number;
}

/**
 * Starts a real `redis-server` (Debian's package; `REDIS_SERVER_BIN` overrides the path) on a free loopback
 * port with persistence off.
 *
 * @example
 * const redis = await startRedisServer();
 * afterAll(() => redis.stop());
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const host = '127.0.0.1';
  const port = options.port ?? (await getFreePort(host));
  const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const proc = ManagedProcess.start(
    binary,
    ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'notice'],
    `redis-server ${host}:${port}`,
  );
  proc.child.once('error', () => undefined);
  try {
    await proc.waitForOutput(/ready to accept connections/i, 10_000);
  } catch (error) {
    await proc.stop('SIGKILL');
    throw new Error(`${(error as Error).message}\nIs redis-server installed? (apt-get install redis-server, or set REDIS_SERVER_BIN)`, { cause: error });
  }
  return {
    host,
    port,
    url: `redis://${host}:${port}`,
    process: proc,
    stop: async () => void (await proc.stop('SIGTERM')),
  };
}
