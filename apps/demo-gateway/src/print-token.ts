import { parseArgs } from 'node:util';
import { readDemoGatewayConfig } from './demo-config.js';
import { mintDemoToken } from './demo-key.js';

const USAGE = 'Usage: npm run -s demo:token [-- --scope "orders:read orders:write"] [--sub demo-user] [--expires-in 3600]';

/**
 * `npm run demo:token`: prints a demo JWT (signed by the built-in demo key, with JWT_ISSUER / JWT_AUDIENCE as the
 * gateway expects them), with both scopes `orders:read orders:write` by default, so the demo can be called
 * without a running server: `TOKEN=$(npm run -s demo:token)`. Refuses when JWT_JWKS_URL is set, since the
 * gateway would then not accept it.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { scope: { type: 'string' }, sub: { type: 'string' }, 'expires-in': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const config = readDemoGatewayConfig();
  if (config.jwksUrl) throw new Error('JWT_JWKS_URL is set, so the gateway does not accept demo tokens: get a token from your identity provider, or unset JWT_JWKS_URL.');
  const expiresIn = values['expires-in'] === undefined ? 3600 : Number(values['expires-in']);
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > 86_400) {
    throw new Error(`--expires-in must be a number of seconds from 1 to 86400, got ${JSON.stringify(values['expires-in'])}.`);
  }
  const token = await mintDemoToken({ scope: values.scope, subject: values.sub, expiresIn, issuer: config.issuer, audience: config.audience });
  process.stdout.write(`${token}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`demo:token: ${error.message}\n${USAGE}\n`);
  process.exit(1);
});
