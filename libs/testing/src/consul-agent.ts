import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateConsulPorts, findConsulBinary } from './consul-binary.js';
import { ManagedProcess } from './managed-process.js';
import { waitFor } from './wait-for.js';

/** Options of {@link startConsulAgent}. */
export interface ConsulAgentOptions {
  /** Loopback address the agent binds to. Default `127.0.0.1`. */
  bind?: string;
  /** Node name. Default `nestmesh-test-<http port>`. */
  nodeName?: string;
  /** Extra command-line arguments. */
  args?: string[];
}

/** A running Consul agent. */
export interface ConsulAgent {
  /** `host:port` of the HTTP API, the form `CONSUL_HTTP_ADDR` takes. */
  readonly httpAddr: string;
  /** `http://host:port` of the HTTP API. */
  readonly url: string;
  readonly process: ManagedProcess;
  /** GET a path of the HTTP API and parse its JSON. */
  get<T = unknown>(path: string): Promise<T>;
  /** PUT to a path of the HTTP API. */
  put(path: string, body?: unknown): Promise<void>;
  /** Stops the agent (SIGINT: a clean leave), keeping its ports for {@link start}. */
  stop(): Promise<void>;
  /** Kills the agent with SIGKILL. */
  kill(): Promise<void>;
  /** Starts the agent again on the same ports (a dev agent comes back empty). */
  start(): Promise<void>;
}

/** Waits until the agent at `url` has a leader, so that catalog writes succeed. */
export async function waitForConsulLeader(url: string, label: string, proc: ManagedProcess, timeout = 20_000): Promise<void> {
  await waitFor(
    async () => {
      if (!proc.alive) throw new Error(`${label} exited:\n${proc.log}`);
      const response = await fetch(`${url}/v1/status/leader`);
      const leader = (await response.json()) as string;
      return leader.length > 0;
    },
    { timeout, interval: 100, description: `${label} to elect a leader` },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n--- ${label} output ---\n${proc.log}`);
  });
}

/**
 * Starts a real `consul agent -dev` on free loopback ports and waits until it has a leader.
 * Stop it in `afterAll`; if the test process dies, an exit hook kills it.
 *
 * @example
 * let consul: ConsulAgent;
 * beforeAll(async () => (consul = await startConsulAgent()));
 * afterAll(() => consul?.stop());
 */
export async function startConsulAgent(options: ConsulAgentOptions = {}): Promise<ConsulAgent> {
  const bind = options.bind ?? '127.0.0.1';
  const binary = findConsulBinary();
  const ports = await allocateConsulPorts(bind);
  const { http } = ports;
  const nodeName = options.nodeName ?? `nestmesh-test-${http}`;
  const url = `http://${bind}:${http}`;
  let dataDir = '';
  let proc!: ManagedProcess;

  const start = async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'nestmesh-consul-'));
    proc = ManagedProcess.start(
      binary,
      [
        'agent', '-dev', '-bind', bind, '-client', bind, '-node', nodeName, '-log-level', 'warn',
        ...ports.args,
        '-hcl', `data_dir = "${dataDir}"`,
        ...(options.args ?? []),
      ],
      `consul agent ${url}`,
    );
    await waitForConsulLeader(url, `consul agent ${url}`, proc);
  };
  const cleanup = () => dataDir && rmSync(dataDir, { recursive: true, force: true });

  await start();
  return {
    httpAddr: `${bind}:${http}`,
    url,
    get process() {
      return proc;
    },
    async get<T>(path: string) {
      const response = await fetch(`${url}${path}`);
      if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    },
    async put(path: string, body?: unknown) {
      const response = await fetch(`${url}${path}`, { method: 'PUT', body: body === undefined ? undefined : JSON.stringify(body) });
      if (!response.ok) throw new Error(`PUT ${path} answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    },
    async stop() {
      await proc.stop('SIGINT');
      cleanup();
    },
    async kill() {
      await proc.stop('SIGKILL');
      cleanup();
    },
    start,
  } as ConsulAgent;
}
