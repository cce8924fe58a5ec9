import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { Timeout, isResilienceTimeoutError } from '@nestmesh/resilience';
import { Observable, type Subscribable } from 'rxjs';
import { compile, settle } from '../support/compile.js';

/**
 * `Subscribable` is an interface, so TypeScript emits `design:returntype` `Object`, exactly as for a method
 * declared `: Observable<T>` with `import type { Observable }`.
 */
@Injectable()
class LegacyClient {
  subscribed = 0;
  unsubscribed = 0;

  @Timeout(30)
  send(): Subscribable<string> {
    return new Observable<string>(() => {
      this.subscribed++;
      return () => this.unsubscribed++;
    });
  }
}

describe('an Observable method whose return type TypeScript did not emit', () => {
  it('still unsubscribes the source at the deadline', async () => {
    const moduleRef = await compile([LegacyClient]);
    const client = moduleRef.get(LegacyClient);
    const outcome = await settle(client.send() as unknown as Promise<string>);
    expect(isResilienceTimeoutError(outcome.error)).toBe(true);
    expect(client.subscribed).toBe(1);
    expect(client.unsubscribed).toBe(1);
    await moduleRef.close();
  });
});
