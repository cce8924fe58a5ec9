import { getFreePort, startNodeApp, type ManagedProcess } from '@nestmesh/testing';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { printedCurls, runCurl, type PrintedCurl } from '../support/printed-curl.js';

const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm run demo (the entry it starts): the gateway and two orders instances in one process, a banner of commands that work', () => {
  let demo: ManagedProcess;
  let curls: PrintedCurl[];
  const ports: number[] = [];
  const curl = (pattern: RegExp) => {
    const found = curls.find((one) => pattern.test(one.line));
    if (!found) throw new Error(`No printed curl line matches ${pattern}:\n${curls.map((one) => one.line).join('\n')}`);
    return found;
  };

  /** A token with only `scope`, from the demo's own `GET /demo/token`. */
  const demoToken = async (scope: string) => ((await (await fetch(`http://127.0.0.1:${ports[0]}/demo/token?scope=${encodeURIComponent(scope)}`)).json()) as { access_token: string }).access_token;

  beforeAll(async () => {
    const port = await getFreePort();
    demo = await startNodeApp(main, {
      // No infrastructure: no Consul, no Redis, the built-in demo key; a payment provider that never fails, so the answers are known.
      env: { PORT: String(port), HOST: '127.0.0.1', ORDERS_PORT: '0', ORDERS_TCP_PORT: '0', CONSUL_HTTP_ADDR: '', REDIS_URL: '', JWT_JWKS_URL: '', EMBEDDED_ORDERS: '', ORDERS_INSTANCES: '', PAYMENT_FAILURE_RATE: '0', DRAIN_DELAY_MS: '' },
      readyWhen: /Ctrl-C stops the demo\./,
      readyTimeout: 60_000,
    });
    curls = printedCurls(demo.log);
    ports.push(port);
    for (const [, http, tcp] of demo.log.matchAll(/orders #\d+ +http:\/\/127\.0\.0\.1:(\d+) \(REST\), TCP port (\d+)/g)) ports.push(Number(http), Number(tcp));
  }, 90_000);
  afterAll(async () => {
    await demo?.stop('SIGKILL');
  });

  it('prints the URLs of the gateway and of two orders instances (REST and TCP), and starts without a warning', () => {
    expect(demo.log).toMatch(/nestmesh demo is up \(services register in the in-memory registry of this process\)/);
    expect(demo.log).toMatch(new RegExp(`gateway +http://127\\.0\\.0\\.1:${ports[0]}\\n`));
    expect(ports).toHaveLength(5);
    expect(new Set(ports).size).toBe(5);
    expect(demo.log).not.toMatch(/\bWARN\b|\bERROR\b|Warning/);
  });

  it('prints a token and curl lines that work as printed: create, list, read one', async () => {
    expect(demo.log).toMatch(/^ {2}TOKEN=eyJ[\w-]+\.[\w-]+\.[\w-]+$/m);
    const created = await runCurl(curl(/-X POST \S+\/api\/orders /));
    expect(created.status).toBe(201);
    const order = (await created.json()) as { id: string };
    expect(order).toEqual({ id: '1', item: 'book', quantity: 2, status: 'paid', createdAt: expect.any(String) });

    const listed = await runCurl(curl(/^curl -s \S+\/api\/orders -H/));
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual([order]);

    const one = await runCurl(curl(/\/api\/orders\/1 /));
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(order);
  });

  it('shows both instances in discovery and a 401 without a token, as the comments of those lines say', async () => {
    const instances = (await (await runCurl(curl(/\/services\/orders/))).json()) as Array<{ port: number; ports: { tcp: number } }>;
    expect(instances.map((instance) => [instance.port, instance.ports.tcp]).sort()).toEqual([[ports[1], ports[2]], [ports[3], ports[4]]].sort());
    const anonymous = await runCurl(curl(/^curl -i \S+\/api\/orders$/));
    expect(anonymous.status).toBe(401);
  });

  it('prints a dashboard line that works: the orders over REST and their stats over TCP, merged (scope orders:read)', async () => {
    expect(demo.log).toMatch(/\/api\/dashboard .*needs the scope orders:read/);
    const dashboard = await runCurl(curl(/\/api\/dashboard /));
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get('x-nestmesh-completed')).toBe('true');
    const { orders, stats } = (await dashboard.json()) as { orders: Array<{ quantity: number }>; stats: { count: number; totalQuantity: number } };
    expect(stats).toEqual({ count: orders.length, totalQuantity: orders.reduce((sum, order) => sum + order.quantity, 0) });
    expect(orders.length).toBeGreaterThan(0); // the order created by the test above

    const { authorization } = curl(/\/api\/dashboard /).headers;
    const writeOnly = `Bearer ${await demoToken('orders:write')}`;
    expect((await fetch(`http://127.0.0.1:${ports[0]}/api/dashboard`, { headers: { authorization: writeOnly } })).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${ports[0]}/api/dashboard`)).status).toBe(401);
    expect(authorization).toMatch(/^Bearer eyJ/);
  });

  it('both instances share the orders of the process: every instance answers every order', async () => {
    const { authorization } = curl(/\/api\/orders\/1 /).headers;
    // Several reads spread over both instances by the balancer; each finds order 1.
    const answers = await Promise.all(Array.from({ length: 6 }, () => fetch(`http://127.0.0.1:${ports[0]}/api/orders/1`, { headers: { authorization } })));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    for (const port of [ports[1], ports[3]]) expect((await fetch(`http://127.0.0.1:${port}/orders/1`)).status).toBe(200);
  });

  it('stops on SIGINT (Ctrl-C): exit code 0, every port closed', async () => {
    for (const port of ports) expect({ port, listening: await listening(port) }).toEqual({ port, listening: true });
    const sent = Date.now();
    demo.child.kill('SIGINT');
    expect(await demo.waitForExit()).toEqual({ code: 0, signal: null });
    // Measured, not asserted (a loaded machine may be slow): reported by the orders work.
    process.stdout.write(`demo stop time (SIGINT to exit): ${Date.now() - sent} ms\n`);
    for (const port of ports) expect({ port, listening: await listening(port) }).toEqual({ port, listening: false });
    expect(demo.log.match(/Deregistered (gateway|orders)-127\.0\.0\.1-\d+/g)).toHaveLength(3);
  });
});
