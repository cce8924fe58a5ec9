import { startNodeApp, type ManagedProcess } from '@nestmesh/testing';
import { fileURLToPath } from 'node:url';

const register = fileURLToPath(new URL('../../../../scripts/ts-register.js', import.meta.url));
const fixture = fileURLToPath(new URL('./fixture-app.ts', import.meta.url));

/** Starts support/fixture-app.ts as a real Node process (TypeScript through scripts/ts-register.js). */
export async function runFixtureApp(env: Record<string, string>): Promise<{ proc: ManagedProcess; port: number }> {
  const proc = await startNodeApp(fixture, {
    env: { ...env, NODE_OPTIONS: `--import ${register}` },
    readyWhen: /fixture listening on \d+/,
  });
  const port = Number(/fixture listening on (\d+)/.exec(proc.log)![1]);
  return { proc, port };
}
