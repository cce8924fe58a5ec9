import { describe, expect, it } from '@jest/globals';
import { Controller, Injectable, Module, Sse, type MessageEvent } from '@nestjs/common';
import { Bulkhead, BulkheadFullError, ResilienceModule, Timeout, isResilienceTimeoutError } from '@nestmesh/resilience';
import { bootNestApp, waitFor, type HttpPlatform } from '@nestmesh/testing';
import { Observable, firstValueFrom } from 'rxjs';
import { compile, settle } from '../support/compile.js';

/** A subscription that emits one value and never completes (a watch, a server-sent event stream). */
class Feed {
  subscriptions = 0;
  unsubscriptions = 0;

  open<T>(first: T): Observable<T> {
    return new Observable<T>((subscriber) => {
      this.subscriptions++;
      subscriber.next(first);
      return () => void this.unsubscriptions++;
    });
  }
}

@Injectable()
class WatchService {
  readonly feed = new Feed();

  @Bulkhead({ limit: 1 })
  watch(): Observable<string> {
    return this.feed.open('update');
  }

  @Bulkhead({ limit: 1 })
  @Timeout(100)
  silent(): Observable<string> {
    return new Observable<string>(() => {
      this.feed.subscriptions++;
      return () => void this.feed.unsubscriptions++;
    });
  }
}

describe('@Bulkhead on a method returning an Observable', () => {
  it('frees the slot when the subscriber unsubscribes: the next subscription is admitted', async () => {
    const moduleRef = await compile([WatchService]);
    try {
      const service = moduleRef.get(WatchService);
      for (let round = 1; round <= 3; round++) {
        const values: string[] = [];
        const subscription = service.watch().subscribe({ next: (value) => values.push(value) });
        await waitFor(() => values.length === 1, { timeout: 5_000 });
        // While it is subscribed, the slot is taken.
        expect((await settle(firstValueFrom(service.watch()))).error).toBeInstanceOf(BulkheadFullError);
        subscription.unsubscribe();
        expect(service.feed.unsubscriptions).toBe(round);
        // cockatiel's BulkheadPolicy gives a slot back when the execution's promise settles (a few microtasks).
        await new Promise((resolve) => setImmediate(resolve));
      }
      await expect(firstValueFrom(service.watch())).resolves.toBe('update');
      expect(service.feed.subscriptions).toBe(4);
    } finally {
      await moduleRef.close();
    }
  });

  it('frees the slot when a timeout unsubscribes a never-completing Observable', async () => {
    const moduleRef = await compile([WatchService]);
    try {
      const service = moduleRef.get(WatchService);
      for (let round = 1; round <= 2; round++) {
        const outcome = await settle(firstValueFrom(service.silent()));
        // Not BulkheadFullError: the first timeout gave the slot back.
        expect(isResilienceTimeoutError(outcome.error)).toBe(true);
        expect(service.feed.unsubscriptions).toBe(round);
      }
    } finally {
      await moduleRef.close();
    }
  });
});

@Controller('events')
class EventsController {
  readonly feed = new Feed();

  @Sse()
  @Bulkhead({ limit: 1 })
  stream(): Observable<MessageEvent> {
    return this.feed.open<MessageEvent>({ data: 'hello' });
  }
}

@Module({ imports: [ResilienceModule.forRoot({ logEvents: false })], controllers: [EventsController] })
class EventsModule {}

/** Opens the event stream and reads until its first event; returns it and a way to disconnect. */
async function openStream(url: string): Promise<{ first: string; disconnect: () => void }> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes('\n\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  return { first: text, disconnect: () => controller.abort() };
}

describe.each<HttpPlatform>(['express', 'fastify'])('@Bulkhead on a server-sent event stream (%s)', (platform) => {
  it('gives the slot back when the HTTP client disconnects (Nest unsubscribes): the next client is served', async () => {
    const app = await bootNestApp(EventsModule, { platform });
    try {
      const { feed } = app.app.get(EventsController);
      for (let round = 1; round <= 3; round++) {
        const client = await openStream(`${app.url}/events`);
        expect(client.first).toContain('data: hello');
        client.disconnect();
        await waitFor(() => feed.unsubscriptions === round, { timeout: 10_000 });
      }
      expect(feed.subscriptions).toBe(3);
    } finally {
      await app.close();
    }
  });
});
