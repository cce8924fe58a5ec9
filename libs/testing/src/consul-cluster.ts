import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateConsulPorts, findConsulBinary } from './consul-binary.js';
import { waitForConsulLeader } from './consul-agent.js';
import { ManagedProcess } from './managed-process.js';

/** One server of a {@link ConsulCluster}. */
export interface ConsulClusterNode {
  readonly name: string;
  readonly bind: string;
  /** `host:port` of this server's HTTP API. */
  readonly httpAddr: string;
  readonly url: string;
  readonly process: ManagedProcess;
  /** Kills this server (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts this server again with its data, rejoining the others. */
  start(): Promise<void>;
}

/** A real three-server Consul cluster on 127.0.0.x, for fault tests. */
export interface ConsulCluster {
  readonly nodes: readonly ConsulClusterNode[];
  /** Stops every server and removes their data. */
  stop(): Promise<void>;
}

/**
 * Starts three Consul servers bound to distinct loopback addresses (127.0.0.2 to 127.0.0.4 by default) that
 * form one cluster, and waits until it has elected a leader.
 *
 * @example
 * const cluster = await startConsulCluster();
 * await cluster.nodes[0].kill(); // the other two keep a quorum
 */
export async function startConsulCluster(binds: readonly string[] = ['127.0.0.2', '127.0.0.3', '127.0.0.4']): Promise<ConsulCluster> {
  const binary = findConsulBinary();
  const specs = await Promise.all(
    binds.map(async (bind, index) => {
      const ports = await allocateConsulPorts(bind);
      return { bind, ports, name: `nestmesh-server-${index + 1}`, dataDir: mkdtempSync(join(tmpdir(), 'nestmesh-cluster-')) };
    }),
  );
  const nodes = specs.map((spec) => {
    let proc!: ManagedProcess;
    const url = `http://${spec.bind}:${spec.ports.http}`;
    const joins = specs.filter((other) => other !== spec).flatMap((other) => ['-retry-join', `${other.bind}:${other.ports.serfLan}`]);
    const start = async () => {
      proc = ManagedProcess.start(
        binary,
        [
          'agent', '-server', '-bootstrap-expect', String(specs.length), '-bind', spec.bind, '-client', spec.bind,
          '-node', spec.name, '-data-dir', spec.dataDir, '-log-level', 'warn', ...joins,
          ...spec.ports.args,
          '-hcl', 'performance { raft_multiplier = 1 }',
        ],
        `consul server ${spec.name} ${url}`,
      );
    };
    return {
      name: spec.name,
      bind: spec.bind,
      httpAddr: `${spec.bind}:${spec.ports.http}`,
      url,
      get process() {
        return proc;
      },
      async kill() {
        await proc.stop('SIGKILL');
      },
      async start() {
        await start();
        await waitForConsulLeader(url, `consul server ${spec.name}`, proc, 30_000);
      },
      startOnly: start,
    };
  });
  await Promise.all(nodes.map((node) => node.startOnly()));
  await Promise.all(nodes.map((node) => waitForConsulLeader(node.url, `consul server ${node.name}`, node.process, 30_000)));
  return {
    nodes,
    async stop() {
      await Promise.all(nodes.map((node) => node.process.stop('SIGKILL')));
      for (const spec of specs) rmSync(spec.dataDir, { recursive: true, force: true });
    },
  };
}
