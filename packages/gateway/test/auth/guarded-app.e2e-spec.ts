import { Controller, Get, HttpException, Injectable, Module, Post, SetMetadata, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { bootNestApp, startHttpUpstream, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import {
  ApiKeyVerifier,
  Authenticator,
  authorize,
  hashApiKey,
  isAccessDeniedError,
  isAuthenticationFailedError,
  isKeySetUnavailableError,
  JwtVerifier,
  type AccessRequirement,
  type AuthenticationMode,
} from '../../src/index.js';

// A guard written for this test only: the gateway module will wire the same blocks to its routes.
const Access = (mode: AuthenticationMode, requirement: AccessRequirement = {}) => SetMetadata('access', { mode, requirement });

@Injectable()
class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { mode, requirement } = this.reflector.get<{ mode: AuthenticationMode; requirement: AccessRequirement }>('access', context.getHandler());
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string> }>();
    try {
      const identity = await this.authenticator.authenticate(request.headers, mode);
      if (identity) authorize(identity, requirement);
      return true;
    } catch (error) {
      if (isAuthenticationFailedError(error) || isAccessDeniedError(error)) {
        // Express' res.header() and Fastify's reply.header() both set a response header.
        context.switchToHttp().getResponse<{ header(name: string, value: string): unknown }>().header('www-authenticate', error.challenge);
        throw new HttpException({ status: error.status }, error.status);
      }
      if (isKeySetUnavailableError(error)) throw new HttpException({ status: 503 }, 503);
      throw error;
    }
  }
}

@Controller('orders')
class OrdersController {
  @Get()
  @Access('any', { scopes: ['orders:read'] })
  list() {
    return [];
  }

  @Post()
  @Access('jwt', { scopes: ['orders:write'] })
  create() {
    return { created: true };
  }

  @Get('public')
  @Access('public')
  open() {
    return { open: true };
  }
}

function appModule(authenticator: Authenticator): Type<unknown> {
  @Module({
    controllers: [OrdersController],
    providers: [{ provide: Authenticator, useValue: authenticator }, { provide: APP_GUARD, useClass: AccessGuard }],
  })
  class GuardedAppModule {}
  return GuardedAppModule;
}

describe.each(['express', 'fastify'] as const)('authentication blocks in a real Nest app on %s', (platform) => {
  let jwks: HttpUpstream;
  let app: BootedNestApp;
  let privateKey: CryptoKey;
  const apiKey = 'sk_test_abcdefabcdefabcdefabcdefabcdef';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' };
    jwks = await startHttpUpstream((_, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    const authenticator = new Authenticator({
      jwt: new JwtVerifier({ jwksUrl: `${jwks.url}/jwks.json`, issuer: 'https://idp.test/', audience: 'orders-api' }),
      apiKeys: new ApiKeyVerifier([{ id: 'reader', hash: hashApiKey(apiKey), scopes: ['orders:read'] }]),
    });
    app = await bootNestApp(appModule(authenticator), { platform });
  });
  afterAll(async () => {
    await app?.close();
    await jwks?.close();
  });

  const token = (scope: string) =>
    new SignJWT({ sub: 'alice', scope, iss: 'https://idp.test/', aud: 'orders-api', exp: Math.floor(Date.now() / 1000) + 60 })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign(privateKey);
  const challenges: Array<string | null> = [];
  const call = async (method: string, path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${app.url}${path}`, { method, headers });
    await response.arrayBuffer();
    challenges.push(response.headers.get('www-authenticate'));
    return response.status;
  };

  it('answers 401 without a credential or with a bad one, 403 without the scope, 2xx with it', async () => {
    expect(await call('GET', '/orders')).toBe(401);
    expect(await call('GET', '/orders', { authorization: 'Bearer nope' })).toBe(401);
    expect(await call('GET', '/orders', { 'x-api-key': 'wrong' })).toBe(401);
    expect(await call('GET', '/orders', { authorization: `Bearer ${await token('orders:write')}` })).toBe(403);
    expect(await call('GET', '/orders', { authorization: `Bearer ${await token('profile orders:read')}` })).toBe(200);
    expect(await call('GET', '/orders', { 'x-api-key': apiKey })).toBe(200);
    expect(await call('POST', '/orders', { 'x-api-key': apiKey })).toBe(401);
    expect(await call('POST', '/orders', { authorization: `Bearer ${await token('orders:read')}` })).toBe(403);
    expect(await call('POST', '/orders', { authorization: `Bearer ${await token('orders:write')}` })).toBe(201);
    expect(await call('GET', '/orders/public')).toBe(200);
    expect(await call('GET', '/orders/public', { authorization: 'Bearer forged' })).toBe(401);
    expect(jwks.requests).toHaveLength(1);
  });

  it('sends the WWW-Authenticate challenge with 401 and 403', async () => {
    challenges.length = 0;
    await call('GET', '/orders');
    await call('GET', '/orders', { authorization: `Bearer ${await token('orders:write')}` });
    await call('GET', '/orders', { authorization: 'Bearer x.y.z' });
    expect(challenges).toEqual([
      'Bearer realm="api", ApiKey realm="api"',
      'Bearer realm="api", error="insufficient_scope", error_description="The credential lacks the access this request needs", scope="orders:read"',
      'Bearer realm="api", error="invalid_token", error_description="The token is malformed"',
    ]);
  });
});
