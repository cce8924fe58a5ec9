import { getFreePort, ManagedProcess, startNodeApp, waitFor } from '@nestmesh/testing';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const nestBin = join(root, 'node_modules/@nestjs/cli/bin/nest.js');

interface NestProject {
  type: 'application' | 'library';
  root: string;
  sourceRoot: string;
  entryFile: string;
  compilerOptions: { tsConfigPath: string };
}

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(join(root, path), 'utf8')) as T;

/**
 * The CLI as `npx nest` runs it: `npx` puts `node_modules/.bin` first on PATH, so the `node` devDependency (Node 24)
 * runs the CLI and the app it starts. NODE_OPTIONS of the Jest run (vm modules) is not passed on.
 */
function nest(args: string[], env: Record<string, string | undefined> = {}): ManagedProcess {
  return ManagedProcess.start(process.execPath, [nestBin, ...args], `nest ${args.join(' ')}`, {
    cwd: root,
    // Its own process group, so that a failed test can end the CLI and the app it spawned together.
    detached: true,
    env: {
      ...process.env,
      PATH: `${join(root, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`,
      NODE_OPTIONS: '',
      CONSUL_HTTP_ADDR: '',
      REDIS_URL: '',
      ...env,
    },
  });
}

function killGroup(proc: ManagedProcess | undefined): void {
  if (proc?.pid === undefined) return;
  try {
    process.kill(-proc.pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

/** The exit of a process that ends by itself, or a failure with its output once `ms` have passed. */
async function exitOf(proc: ManagedProcess, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${proc.label} did not exit within ${ms} ms:\n${proc.log}`)), ms);
  });
  try {
    return await Promise.race([proc.waitForExit(), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return false;
  } catch (error) {
    return ((error as Error & { cause?: { code?: string } }).cause?.code ?? '') === 'ECONNREFUSED';
  }
}

describe('nest-cli.json', () => {
  it('lists every app and package of the workspace, with roots and tsconfigs that exist', async () => {
    const cli = await readJson<{ projects: Record<string, NestProject> }>('nest-cli.json');
    const build = await readJson<{ references: { path: string }[] }>('tsconfig.build.json');
    const workspace = build.references.map((reference) => reference.path).sort();
    expect(Object.values(cli.projects).map((project) => project.root).sort()).toEqual(workspace);
    for (const [name, project] of Object.entries(cli.projects)) {
      expect({ name, root: existsSync(join(root, project.root)) }).toEqual({ name, root: true });
      expect(project.sourceRoot).toBe(`${project.root}/src`);
      expect(project.compilerOptions.tsConfigPath).toBe(`${project.root}/tsconfig.json`);
      expect({ name, entry: existsSync(join(root, project.sourceRoot, `${project.entryFile}.ts`)) }).toEqual({ name, entry: true });
      expect(project.type).toBe(project.root.startsWith('apps/') ? 'application' : 'library');
    }
  });

  it('orders projects after those they reference, so `nest build --all` builds a fresh clone in one go', async () => {
    const cli = await readJson<{ projects: Record<string, NestProject> }>('nest-cli.json');
    const order = Object.values(cli.projects).map((project) => project.root);
    for (const [index, project] of order.entries()) {
      const tsconfig = await readJson<{ references?: { path: string }[] }>(`${project}/tsconfig.json`);
      for (const reference of tsconfig.references ?? []) {
        const referenced = join(project, reference.path);
        expect({ project, references: referenced, listedBefore: order.indexOf(referenced) < index && order.includes(referenced) }).toEqual({
          project,
          references: referenced,
          listedBefore: true,
        });
      }
    }
  });
});

describe('nest build <project>', () => {
  let dir: string | undefined;
  let build: ManagedProcess | undefined;
  let orders: ManagedProcess | undefined;
  afterAll(async () => {
    killGroup(build);
    await orders?.stop('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds demo-orders (ESM, nodenext) into a directory of its own, and the output runs and stops cleanly', async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestmesh-nest-build-'));
    // The project's own tsconfig, with only the output moved out of the tree (other suites run apps/*/dist).
    const original = await readJson<{ references?: unknown[] }>('apps/demo-orders/tsconfig.json');
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(root, 'apps/demo-orders/tsconfig.json'),
        compilerOptions: { outDir: join(dir, 'dist'), tsBuildInfoFile: join(dir, 'dist/tsconfig.tsbuildinfo') },
        references: (original.references as { path: string }[]).map((reference) => ({ path: join(root, 'apps/demo-orders', reference.path) })),
      }),
    );
    // Resolution and module type as in the repository: its node_modules, and a package of type "module".
    await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));

    // The CLI reads --path relative to the working directory, even an absolute one.
    build = nest(['build', 'demo-orders', '--path', relative(root, join(dir, 'tsconfig.json'))]);
    const built = await exitOf(build, 170_000);
    expect({ code: built.code, log: built.code === 0 ? '' : build.log }).toEqual({ code: 0, log: '' });
    expect(existsSync(join(dir, 'dist/main.js'))).toBe(true);
    expect(await readFile(join(dir, 'dist/main.js'), 'utf8')).toContain("from './bootstrap.js'");

    const port = await getFreePort();
    orders = await startNodeApp(join(dir, 'dist/main.js'), {
      cwd: dir,
      env: { PORT: String(port), HOST: '127.0.0.1', CONSUL_HTTP_ADDR: '', REDIS_URL: '' },
      readyTimeout: 60_000,
    });
    const started = orders;
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/orders`).catch(() => undefined))?.status === 200, {
      timeout: 120_000,
      description: `the nest-built demo-orders answers GET /orders on ${port}`,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${started.log}`);
    });
    const answer = await fetch(`http://127.0.0.1:${port}/orders`);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Array.isArray(await answer.json())).toBe(true);
    expect(await orders.stop('SIGTERM', 30_000)).toEqual({ code: 0, signal: null });
  }, 300_000);
});

describe('nest start demo-gateway --watch', () => {
  let cli: ManagedProcess | undefined;
  afterAll(() => killGroup(cli));

  it('compiles in watch mode, starts the gateway (ESM), answers HTTP, and stops with the app on Ctrl-C', async () => {
    // PORT=0: the port is chosen when the app listens, so nothing else can take it during the compilation.
    cli = nest(['start', 'demo-gateway', '--watch'], { PORT: '0', HOST: '127.0.0.1', ORDERS_PORT: '0' });
    await cli.waitForOutput('Watching for file changes', 170_000);
    const listening = /demo-gateway listening on (http:\/\/127\.0\.0\.1:(\d+))/;
    await cli.waitForOutput(listening, 120_000);
    const [, url, port] = listening.exec(cli.log)!;
    expect((await fetch(`${url}/api/orders`)).status).toBe(401);
    const anonymous = await fetch(`${url}/api/orders`);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');

    // Ctrl-C in a terminal signals the whole foreground group: the CLI (which forwards it to the app too) and the
    // app. The app drains, deregisters and closes once; then the CLI exits.
    process.kill(-cli.pid!, 'SIGINT');
    const exit = await exitOf(cli, 60_000);
    expect({ exit, log: exit.code === 0 ? '' : cli.log }).toEqual({ exit: { code: 0, signal: null }, log: '' });
    expect(cli.log).toMatch(new RegExp(`Deregistered gateway-127\\.0\\.0\\.1-${port} `));
    // The app exits before the CLI does (the shell between them waits for it): its port is closed.
    expect(await refused(`${url}/api/orders`)).toBe(true);
  }, 400_000);
});
