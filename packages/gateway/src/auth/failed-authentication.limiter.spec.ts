import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { isAuthenticationFailedError } from '../errors/authentication-failed.error.js';
import { isTooManyAuthenticationFailuresError } from '../errors/too-many-authentication-failures.error.js';
import type { GatewayAuthFailureLimit } from '../interfaces/gateway-module-options.interface.js';
import { resolveFailureLimit } from '../options/bootstrap-values.js';
import { MemoryThrottlerStorage } from '../throttler/memory-throttler.storage.js';
import { ApiKeyVerifier, hashApiKey } from './api-key.verifier.js';
import { Authenticator } from './authenticator.js';
import { FailedAuthenticationLimiter } from './failed-authentication.limiter.js';

const KEY = 'sk_test_0123456789abcdef0123456789abcdef';

describe('FailedAuthenticationLimiter', () => {
  beforeAll(() => Logger.overrideLogger(false)); // each block logs a warning
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']));
  let now: number;
  let storage: MemoryThrottlerStorage;
  let apiKeys: ApiKeyVerifier;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
    storage = new MemoryThrottlerStorage({ clock });
    apiKeys = new ApiKeyVerifier([{ id: 'partner', hash: hashApiKey(KEY) }]);
  });
  afterEach(() => storage.onApplicationShutdown());

  const limiter = (options: GatewayAuthFailureLimit | false = { limit: 3, ttl: 10_000 }, maxRemembered?: number) =>
    new FailedAuthenticationLimiter(new Authenticator({ apiKeys }), storage, resolveFailureLimit(options), clock, maxRemembered);

  /** The status the gateway would answer. */
  async function status(subject: FailedAuthenticationLimiter, headers: Record<string, string | string[]>, client = '203.0.113.7'): Promise<number | { status: 429; retryAfter: number }> {
    try {
      await subject.authenticate(headers, 'api-key', client);
      return 200;
    } catch (error) {
      if (isAuthenticationFailedError(error)) return 401;
      if (isTooManyAuthenticationFailuresError(error)) return { status: 429, retryAfter: error.retryAfter };
      throw error;
    }
  }
  const wrong = { 'x-api-key': 'wrong-key' };
  const right = { 'x-api-key': KEY };

  it('counts refused credentials per address: the one over the limit and every credential after it get 429, until the block is over', async () => {
    const subject = limiter();
    expect([await status(subject, wrong), await status(subject, wrong), await status(subject, wrong)]).toEqual([401, 401, 401]);
    expect(await status(subject, wrong)).toEqual({ status: 429, retryAfter: 10 });
    now += 4_500;
    expect(await status(subject, right)).toEqual({ status: 429, retryAfter: 6 }); // Retry-After in whole seconds, rounded up
    expect(await status(subject, right, '203.0.113.8')).toBe(200);
    now += 5_600;
    expect(await status(subject, right)).toBe(200);
    expect(await status(subject, wrong)).toBe(401); // a fresh count
  });

  it('answers a blocked address without verifying its credential', async () => {
    const subject = limiter();
    for (let index = 0; index < 4; index += 1) await status(subject, wrong);
    const verify = jest.spyOn(apiKeys, 'verify');
    expect(await status(subject, right)).toMatchObject({ status: 429 });
    expect(await status(subject, wrong)).toMatchObject({ status: 429 });
    expect(verify).not.toHaveBeenCalled();
  });

  it('sees a block written by another gateway sharing the storage, before this one saw any failure', async () => {
    const first = limiter();
    for (let index = 0; index < 4; index += 1) await status(first, wrong);
    const second = limiter();
    const verify = jest.spyOn(apiKeys, 'verify');
    expect(await status(second, right)).toEqual({ status: 429, retryAfter: 10 });
    expect(verify).not.toHaveBeenCalled();
  });

  it('does not count a missing credential, counts a malformed one, and a success neither counts nor resets the count', async () => {
    const subject = limiter();
    for (let index = 0; index < 10; index += 1) expect(await status(subject, {})).toBe(401);
    expect(await status(subject, { authorization: 'Basic YWxpY2U6c2VjcmV0' })).toBe(401);
    expect(await status(subject, { 'x-api-key': ['a', 'b'] })).toBe(401);
    expect(await status(subject, right)).toBe(200);
    expect(await status(subject, wrong)).toBe(401);
    expect(await status(subject, wrong)).toMatchObject({ status: 429 });
  });

  it('groups IPv6 clients by /64 and IPv4-mapped addresses with their IPv4', async () => {
    const subject = limiter();
    for (let index = 1; index <= 4; index += 1) await status(subject, wrong, `2001:db8:0:1::${index}`);
    expect(await status(subject, right, '2001:db8:0:1:ffff:ffff:ffff:ffff')).toMatchObject({ status: 429 });
    expect(await status(subject, right, '2001:db8:0:2::1')).toBe(200);
    for (let index = 0; index < 4; index += 1) await status(subject, wrong, '::ffff:198.51.100.4');
    expect(await status(subject, right, '198.51.100.4')).toMatchObject({ status: 429 });
  });

  it('keeps its counters apart from route throttlers in the same storage', async () => {
    const subject = limiter();
    for (let index = 0; index < 4; index += 1) await status(subject, wrong);
    expect((await storage.increment('orders|ip:203.0.113.7', 10_000, 1, 10_000, 'default')).isBlocked).toBe(false);
  });

  it('blocks for blockDuration when it differs from the window', async () => {
    const subject = limiter({ limit: 1, ttl: 60_000, blockDuration: 2_000 });
    expect(await status(subject, wrong)).toBe(401);
    expect(await status(subject, wrong)).toEqual({ status: 429, retryAfter: 2 });
    now += 2_001;
    expect(await status(subject, right)).toBe(200);
  });

  it('remembers a bounded number of blocked addresses; a forgotten one is read again from the storage', async () => {
    const subject = limiter(undefined, 2);
    for (const client of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) for (let index = 0; index < 4; index += 1) await status(subject, wrong, client);
    const read = jest.spyOn(storage, 'blockedFor');
    expect(await status(subject, right, '192.0.2.3')).toMatchObject({ status: 429 });
    expect(read).not.toHaveBeenCalled();
    expect(await status(subject, right, '192.0.2.1')).toMatchObject({ status: 429 });
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('works on any ThrottlerStorage (here @nestjs/throttler’s own): a block another gateway set is read with a hit that never counts', async () => {
    const shared = new ThrottlerStorageService();
    try {
      const gateway = () => new FailedAuthenticationLimiter(new Authenticator({ apiKeys }), shared, resolveFailureLimit({ limit: 3, ttl: 10_000 }));
      const first = gateway();
      expect([await status(first, wrong), await status(first, wrong), await status(first, wrong)]).toEqual([401, 401, 401]);
      expect(await status(first, wrong)).toEqual({ status: 429, retryAfter: 10 });
      const second = gateway();
      const verify = jest.spyOn(apiKeys, 'verify');
      for (let index = 0; index < 5; index += 1) expect(await status(second, right)).toMatchObject({ status: 429 });
      expect(verify).not.toHaveBeenCalled();
      expect(await status(second, right, '203.0.113.8')).toBe(200);
      expect(await status(second, wrong, '203.0.113.8')).toBe(401); // the probes of that address counted no failure
    } finally {
      shared.onApplicationShutdown();
    }
  });

  it('passes every request through when turned off', async () => {
    const subject = limiter(false);
    for (let index = 0; index < 10; index += 1) expect(await status(subject, wrong)).toBe(401);
    expect(await status(subject, right)).toBe(200);
  });
});
