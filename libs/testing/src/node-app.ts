import { ManagedProcess } from './managed-process.js';

/** Options of {@link startNodeApp}. */
export interface StartNodeAppOptions {
  /** Added to the current environment. */
  env?: Record<string, string | undefined>;
  /** Resolve once the output contains this. Default: none (resolve at once). */
  readyWhen?: string | RegExp;
  /** Default 20 000 ms. */
  readyTimeout?: number;
  cwd?: string;
}

/**
 * Runs a built Node entry point (such as `apps/demo-orders/dist/main.js`) as a real child process on the same
 * Node as the tests, so a test can send it SIGTERM or SIGKILL.
 *
 * @example
 * const orders = await startNodeApp('apps/demo-orders/dist/main.js', { env: { PORT: '0' }, readyWhen: /listening/ });
 */
export async function startNodeApp(entry: string, options: StartNodeAppOptions = {}): Promise<ManagedProcess> {
  const proc = ManagedProcess.start(process.execPath, [entry], `node ${entry}`, {
    cwd: options.cwd,
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
  });
  if (options.readyWhen) {
    try {
      await proc.waitForOutput(options.readyWhen, options.readyTimeout ?? 20_000);
    } catch (error) {
      await proc.stop('SIGKILL');
      throw error;
    }
  }
  return proc;
}
