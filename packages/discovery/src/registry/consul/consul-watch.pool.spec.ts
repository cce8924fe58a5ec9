import { resolveConsulEndpoint } from './consul-endpoint.js';
import { watchKey } from './consul-watch.pool.js';
import type { ConsulWatchSettings } from './consul-service.watch.js';

describe('watchKey', () => {
  const settings: ConsulWatchSettings = { wait: 30_000, minInterval: 100, retryDelay: 200, maxRetryDelay: 5_000, requestTimeout: 1_000 };
  const https = (extra: { verifyTls?: boolean; token?: string } = {}) => resolveConsulEndpoint({ address: 'https://127.0.0.1:8501', ...extra }, {});

  it('shares a watch only between endpoints that would make the same connection: TLS settings included', () => {
    expect(watchKey(https(), 'orders', settings)).toBe(watchKey(https(), 'orders', settings));
    // A watch shared with an app that does not verify certificates would read through its connection.
    expect(watchKey(https({ verifyTls: false }), 'orders', settings)).not.toBe(watchKey(https(), 'orders', settings));
    expect(watchKey(https({ token: 'other' }), 'orders', settings)).not.toBe(watchKey(https(), 'orders', settings));
    expect(watchKey(https(), 'billing', settings)).not.toBe(watchKey(https(), 'orders', settings));
    expect(watchKey(https(), 'orders', { ...settings, wait: 5_000 })).not.toBe(watchKey(https(), 'orders', settings));
  });
});
