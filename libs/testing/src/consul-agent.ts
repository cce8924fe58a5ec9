import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  /**
   * Turn ACLs on with `default_policy = "deny"` and a management (bootstrap) token, through a config file as in
   * production. Default `false`.
   */
  acl?: boolean;
}

/** A running Consul agent. */
export interface ConsulAgent {
  /** `host:port` of the HTTP API, the form `CONSUL_HTTP_ADDR` takes. */
  readonly httpAddr: string;
  /** `http://host:port` of the HTTP API. */
  readonly url: string;
  readonly process: ManagedProcess;
  /** With `acl: true`: the management token (Consul 1.8's `acl.tokens.master`); the helpers below send it. */
  readonly managementToken?: string;
  /**
   * With `acl: true`: creates a policy with these ACL `rules` and a token holding it, and returns the token's
   * secret and accessor ID (to change its policies later through the ACL API).
   */
  createToken(rules: string): Promise<{ secretId: string; accessorId: string }>;
  /** GET a path of the HTTP API and parse its JSON. */
  get<T = unknown>(path: string): Promise<T>;
  /** PUT to a path of the HTTP API. */
  put(path: string, body?: unknown): Promise<void>;
  /** Stops the agent (SIGINT: a clean leave), keeping its ports for {@link start}. */
  stop(): Promise<void>;
  /** Kills the agent with SIGKILL. */
  kill(): Promise<void>;
  /** Freezes the agent (SIGSTOP): its port still accepts connections but nothing is answered, like a hung agent. */
  pause(): void;
  /** Thaws a {@link pause}d agent (SIGCONT). */
  resume(): void;
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
  const managementToken = options.acl ? randomUUID() : undefined;
  const headers: Record<string, string> = managementToken ? { 'x-consul-token': managementToken } : {};
  let dataDir = '';
  let proc!: ManagedProcess;

  const start = async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'nestmesh-consul-'));
    const configFile = join(dataDir, 'acl.hcl');
    if (managementToken) {
      // The agent uses the management token for its own node registration too, so it logs no ACL warnings.
      const tokens = `tokens {\n    master = "${managementToken}"\n    agent = "${managementToken}"\n  }`;
      writeFileSync(configFile, `acl {\n  enabled = true\n  default_policy = "deny"\n  ${tokens}\n}\n`);
    }
    proc = ManagedProcess.start(
      binary,
      [
        'agent', '-dev', '-bind', bind, '-client', bind, '-node', nodeName, '-log-level', 'warn',
        ...ports.args,
        '-hcl', `data_dir = "${dataDir}"`,
        ...(managementToken ? ['-config-file', configFile] : []),
        ...(options.args ?? []),
      ],
      `consul agent ${url}`,
    );
    await waitForConsulLeader(url, `consul agent ${url}`, proc);
  };
  const cleanup = () => dataDir && rmSync(dataDir, { recursive: true, force: true });

  const call = async (method: 'GET' | 'PUT', path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response;
  };

  await start();
  return {
    httpAddr: `${bind}:${http}`,
    url,
    managementToken,
    async createToken(rules: string) {
      const policy = (await (await call('PUT', '/v1/acl/policy', { Name: `test-${randomUUID().slice(0, 8)}`, Rules: rules })).json()) as { ID: string };
      const token = (await (await call('PUT', '/v1/acl/token', { Policies: [{ ID: policy.ID }] })).json()) as { SecretID: string; AccessorID: string };
      return { secretId: token.SecretID, accessorId: token.AccessorID };
    },
    get process() {
      return proc;
    },
    async get<T>(path: string) {
      return (await (await call('GET', path)).json()) as T;
    },
    async put(path: string, body?: unknown) {
      await (await call('PUT', path, body)).arrayBuffer();
    },
    async stop() {
      await proc.stop('SIGINT');
      cleanup();
    },
    async kill() {
      await proc.stop('SIGKILL');
      cleanup();
    },
    pause() {
      proc.child.kill('SIGSTOP');
    },
    resume() {
      proc.child.kill('SIGCONT');
    },
    start,
  } as ConsulAgent;
}
