import { sleep, startHttpUpstream, waitFor, type HttpUpstream } from '@nestmesh/testing';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWK, type JWTPayload } from 'jose';
import { JwtVerifier, isAuthenticationFailedError, isKeySetUnavailableError, type JwtVerifierOptions } from '../../src/index.js';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>> & { kid: string; jwk: JWK };

async function keyPair(kid: string): Promise<KeyPair> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  return { ...pair, kid, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const ISSUER = 'https://idp.test/';
const AUDIENCE = 'orders-api';
const now = () => Math.floor(Date.now() / 1000);

function sign(key: KeyPair, claims: JWTPayload = {}, kid = key.kid, expiresIn: number | null = 300): Promise<string> {
  const exp = expiresIn === null ? {} : { exp: now() + expiresIn };
  const payload = { sub: 'alice', scope: 'orders:read orders:write', roles: ['user'], iss: ISSUER, aud: AUDIENCE, iat: now(), ...exp, ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(key.privateKey);
}

/** The failure reason of a refused token (fails the test if the token was accepted). */
async function refusal(verifier: JwtVerifier, token: unknown): Promise<string> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAuthenticationFailedError(error)) throw new Error(`expected an AuthenticationFailedError, got ${String(error)}`);
  expect(error.status).toBe(401);
  expect(error.challenge).toMatch(/^Bearer realm="api"/);
  return error.reason;
}

describe('JwtVerifier with a real JWKS server', () => {
  let a: KeyPair;
  let b: KeyPair;
  let jwks: HttpUpstream;
  let served: { status: number; type: string; body: unknown };
  const fetches = () => jwks.requests.length;

  beforeAll(async () => {
    [a, b] = await Promise.all([keyPair('a'), keyPair('b')]);
    jwks = await startHttpUpstream((_, response) => {
      response.writeHead(served.status, { 'content-type': served.type });
      response.end(typeof served.body === 'string' ? served.body : JSON.stringify(served.body));
    });
  });
  beforeEach(() => {
    served = { status: 200, type: 'application/json', body: { keys: [a.jwk] } };
    jwks.requests.length = 0;
  });
  afterAll(async () => {
    await jwks?.close();
  });

  const verifier = (options: Partial<JwtVerifierOptions> = {}) =>
    new JwtVerifier({ jwksUrl: `${jwks.url}/.well-known/jwks.json`, issuer: ISSUER, audience: AUDIENCE, clockTolerance: 0, ...options });

  it('accepts a valid token, with its subject, scopes and roles, and fetches the JWKS once', async () => {
    const jwt = verifier();
    const identity = await jwt.verify(await sign(a));
    expect(identity).toMatchObject({ method: 'jwt', subject: 'alice', scopes: ['orders:read', 'orders:write'], roles: ['user'] });
    expect(identity.expiresAt).toBeGreaterThan(Date.now());
    await jwt.verify(await sign(a, { sub: 'bob' }));
    expect(fetches()).toBe(1);
  });

  it('refuses alg none, whatever its kid', async () => {
    const jwt = verifier();
    await jwt.verify(await sign(a)); // keys loaded
    const unsigned = new UnsecuredJWT({ sub: 'admin', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 }).encode();
    expect(await refusal(jwt, unsigned)).toMatch(/^(algorithm|malformed)$/);
    const [, payload] = unsigned.split('.');
    const withKid = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'a' })).toString('base64url')}.${payload}.`;
    expect(await refusal(jwt, withKid)).toMatch(/^(algorithm|malformed)$/);
  });

  it('refuses an HS256 token signed with the public key as its secret (HS/RS confusion)', async () => {
    const jwt = verifier();
    const publicPem = new TextEncoder().encode(await exportSPKI(a.publicKey));
    const forged = await new SignJWT({ sub: 'admin', scope: 'orders:write' })
      .setProtectedHeader({ alg: 'HS256', kid: 'a' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(now() + 300)
      .sign(publicPem);
    expect(await refusal(jwt, forged)).toBe('algorithm');
  });

  it('refuses expired tokens, tokens without exp, and the wrong issuer or audience', async () => {
    const jwt = verifier();
    expect(await refusal(jwt, await sign(a, {}, 'a', -10))).toBe('expired');
    expect(await refusal(jwt, await sign(a, {}, 'a', null))).toBe('claim');
    expect(await refusal(jwt, await sign(a, { iss: 'https://evil.test/' }))).toBe('claim');
    expect(await refusal(jwt, await sign(a, { aud: 'billing-api' }))).toBe('claim');
  });

  it('refuses a tampered payload, a token signed by another key under a known kid, and garbage', async () => {
    const jwt = verifier();
    const [header, payload, signature] = (await sign(a)).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${signature}`;
    expect(await refusal(jwt, tampered)).toBe('invalid-signature');
    expect(await refusal(jwt, await sign(b, {}, 'a'))).toBe('invalid-signature');
    expect(await refusal(jwt, 'not.a.jwt')).toBe('malformed');
    expect(await refusal(jwt, 'x'.repeat(10_000))).toBe('malformed');
    expect(await refusal(jwt, undefined)).toBe('missing');
  });

  it('a flood of unknown kids costs at most one JWKS fetch per cooldown', async () => {
    const jwt = verifier({ jwksFetch: { cooldown: 60_000 } });
    await jwt.verify(await sign(a));
    expect(fetches()).toBe(1);
    const flood = await Promise.all(Array.from({ length: 300 }, (_, i) => sign(b, {}, `unknown-${i}`)));
    const reasons = await Promise.all(flood.map((token) => refusal(jwt, token)));
    expect(new Set(reasons)).toEqual(new Set(['unknown-key']));
    expect(fetches()).toBe(1); // still within the cooldown of the first fetch


    // Once a cooldown has passed, a new flood costs exactly one fetch, shared by every concurrent request.
    // 2 s: both floods below must fall within one cooldown, even on a loaded machine (200 ms was not enough).
    const short = verifier({ jwksFetch: { cooldown: 2_000 } });
    await short.verify(await sign(a));
    await sleep(2_100);
    jwks.requests.length = 0;
    await Promise.all(flood.map((token) => refusal(short, token)));
    expect(fetches()).toBe(1);
    await Promise.all(flood.map((token) => refusal(short, token)));
    expect(fetches()).toBe(1);
  });

  it('picks up a rotated key once the cooldown has passed, keeping one fetch per cooldown', async () => {
    const cooldown = 300;
    const jwt = verifier({ jwksFetch: { cooldown } });
    await jwt.verify(await sign(a));
    served.body = { keys: [a.jwk, b.jwk] };
    const rotated = await sign(b);
    const started = Date.now();
    await waitFor(() => jwt.verify(rotated).then(() => true), { timeout: 5_000, interval: 20, description: 'the rotated key accepted' });
    const elapsed = Date.now() - started;
    // One initial fetch, then at most one per cooldown while polling.
    expect(fetches()).toBeLessThanOrEqual(2 + Math.floor(elapsed / cooldown));
    expect((await jwt.verify(await sign(a))).subject).toBe('alice'); // the old key still works
  });

  it('re-checks the expiry of a remembered token at every use', async () => {
    const jwt = verifier();
    const shortLived = await sign(a, {}, 'a', 1);
    expect((await jwt.verify(shortLived)).subject).toBe('alice');
    const reason = await waitFor(() => refusal(jwt, shortLived).catch(() => undefined), { timeout: 5_000, interval: 100, description: 'expired' });
    expect(reason).toBe('expired');
  });

  it('answers 503 while the JWKS cannot be had, fetching at most once per cooldown, and recovers', async () => {
    served = { status: 500, type: 'text/plain', body: 'down' };
    const jwt = verifier({ jwksFetch: { cooldown: 60_000 } });
    const token = await sign(a);
    const errors = await Promise.all(Array.from({ length: 50 }, () => jwt.verify(token).catch((error: unknown) => error)));
    expect(errors.every(isKeySetUnavailableError)).toBe(true);
    expect((errors[0] as Error).message).toMatch(/could not be fetched: HTTP 500/);
    expect(fetches()).toBe(1);

    served = { status: 200, type: 'text/html', body: '<html>login</html>' };
    const html = verifier({ jwksFetch: { cooldown: 0 } });
    expect(await html.verify(token).catch((error: Error) => error.message)).toMatch(/content-type "text\/html" is not JSON/);

    served = { status: 200, type: 'application/json', body: { keys: [a.jwk] } };
    expect((await html.verify(token)).subject).toBe('alice');
  });

  it('refuses to follow a redirect to another key set', async () => {
    const elsewhere = await startHttpUpstream((_, response) => void response.writeHead(302, { location: `${jwks.url}/.well-known/jwks.json` }).end());
    try {
      const jwt = new JwtVerifier({ jwksUrl: `${elsewhere.url}/jwks`, issuer: ISSUER, audience: AUDIENCE });
      expect(isKeySetUnavailableError(await jwt.verify(await sign(a)).catch((error: unknown) => error))).toBe(true);
      expect(fetches()).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });
});
