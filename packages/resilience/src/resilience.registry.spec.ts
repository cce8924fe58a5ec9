import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { ResilienceEvent } from './interfaces/resilience-event.interface.js';
import { ResilienceRegistry } from './resilience.registry.js';

describe('ResilienceRegistry', () => {
  it('publishes each event on events$ and logs it exactly once', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const registry = new ResilienceRegistry({});
    const events: ResilienceEvent[] = [];
    registry.events$.subscribe((event) => events.push(event));
    registry.emit({ type: 'break', kind: 'circuit-breaker', policy: 'orders', error: new Error('down') });
    registry.emit({ type: 'reset', kind: 'circuit-breaker', policy: 'orders' });
    expect(events.map((event) => event.type)).toEqual(['break', 'reset']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toBe('Circuit breaker orders opened: down');
    expect(log).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    log.mockRestore();
  });

  it('stays quiet with logEvents: false and lists attached policies', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const registry = new ResilienceRegistry({ logEvents: false });
    registry.emit({ type: 'retry', kind: 'retry', policy: 'A.b', method: 'A.b', attempt: 2, delay: 10 });
    expect(warn).not.toHaveBeenCalled();
    registry.attach('retry', 'A.b', 'A.b');
    registry.attach('fallback', 'A.b', 'A.b');
    expect(registry.list()).toEqual([
      { name: 'A.b', kind: 'retry', target: 'A.b', methods: ['A.b'] },
      { name: 'A.b', kind: 'fallback', target: 'A.b', methods: ['A.b'] },
    ]);
    warn.mockRestore();
  });
});
