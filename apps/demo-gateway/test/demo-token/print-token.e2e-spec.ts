import { startNodeApp } from '@nestmesh/testing';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { DEMO_JWKS } from '../../src/demo-key.js';

const entry = fileURLToPath(new URL('../../dist/print-token.js', import.meta.url));
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const jwks = createLocalJWKSet(DEMO_JWKS);

/** Runs print-token.js with `env`; its exit code and output. */
async function printToken(env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const run = await startNodeApp(entry, { env: { JWT_ISSUER: '', JWT_AUDIENCE: '', JWT_JWKS_URL: '', ...env } });
  const { code } = await run.waitForExit();
  return { code, out: run.log.trim() };
}

describe('npm run demo:token: a demo JWT without a running server', () => {
  it('prints only a token that the demo gateway accepts: the demo JWKS, issuer and audience, both scopes', async () => {
    const { code, out } = await printToken();
    expect(code).toBe(0);
    expect(out).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const { payload, protectedHeader } = await jwtVerify(out, jwks, { issuer: 'nestmesh-demo', audience: 'nestmesh-demo-api' });
    expect(protectedHeader).toEqual(expect.objectContaining({ alg: 'RS256', kid: 'nestmesh-demo-1' }));
    expect(payload).toEqual(expect.objectContaining({ scope: 'orders:read orders:write', sub: 'demo-user' }));
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('follows JWT_ISSUER and JWT_AUDIENCE as the gateway does', async () => {
    const { code, out } = await printToken({ JWT_ISSUER: 'my-issuer', JWT_AUDIENCE: 'my-api' });
    expect(code).toBe(0);
    await expect(jwtVerify(out, jwks, { issuer: 'my-issuer', audience: 'my-api' })).resolves.toBeDefined();
  });

  it('refuses when JWT_JWKS_URL is set (the gateway would not accept the token), saying what to do', async () => {
    const { code, out } = await printToken({ JWT_JWKS_URL: 'https://id.example.test/.well-known/jwks.json' });
    expect(code).toBe(1);
    expect(out).toContain('demo:token: JWT_JWKS_URL is set, so the gateway does not accept demo tokens: get a token from your identity provider, or unset JWT_JWKS_URL.');
  });

  it('is what `npm run -s demo:token` runs (stdout is the token alone, ready for TOKEN=$(...))', async () => {
    const child = spawn('npm', ['run', '-s', 'demo:token', '--', '--scope', 'orders:read', '--sub', 'alice'], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', JWT_ISSUER: '', JWT_AUDIENCE: '', JWT_JWKS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const { payload } = await jwtVerify(stdout.trim(), jwks, { issuer: 'nestmesh-demo', audience: 'nestmesh-demo-api' });
    expect(payload).toEqual(expect.objectContaining({ scope: 'orders:read', sub: 'alice' }));
  }, 120_000);
});
