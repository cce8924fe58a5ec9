import { ORDERS_CONFIG_DEFAULTS, readOrdersConfig } from './orders-config.js';

describe('readOrdersConfig', () => {
  it('takes the defaults when nothing is set (empty counts as unset)', () => {
    expect(readOrdersConfig({})).toEqual({ ...ORDERS_CONFIG_DEFAULTS, tcpPort: 4001, redisUrl: undefined });
    expect(readOrdersConfig({ PORT: '', TCP_PORT: ' ', PAYMENT_FAILURE_RATE: '' })).toEqual({ ...ORDERS_CONFIG_DEFAULTS, tcpPort: 4001, redisUrl: undefined });
  });

  it('puts the TCP listener 1000 above the HTTP port by default, and on a free port when PORT is 0 (never a fixed port by surprise)', () => {
    expect(readOrdersConfig({ PORT: '3011' }).tcpPort).toBe(4011);
    expect(readOrdersConfig({ PORT: '0' }).tcpPort).toBe(0);
    expect(readOrdersConfig({ PORT: '65000' }).tcpPort).toBe(0);
    expect(readOrdersConfig({ PORT: '0', TCP_PORT: '4500' }).tcpPort).toBe(4500);
  });

  it('reads every variable', () => {
    expect(
      readOrdersConfig({
        PORT: '0', HOST: '127.0.0.1', TCP_PORT: '4100', PAYMENT_FAILURE_RATE: '1', PAYMENT_LATENCY_MS: '0',
        PAYMENT_TIMEOUT_MS: '250', REDIS_URL: 'redis://127.0.0.1:6380', DRAIN_DELAY_MS: '0',
      }),
    ).toEqual({
      port: 0, host: '127.0.0.1', tcpPort: 4100, paymentFailureRate: 1, paymentLatencyMs: 0,
      paymentTimeoutMs: 250, redisUrl: 'redis://127.0.0.1:6380', drainDelayMs: 0,
    });
    expect(readOrdersConfig({ PAYMENT_FAILURE_RATE: '0' }).paymentFailureRate).toBe(0);
    expect(readOrdersConfig({ PAYMENT_FAILURE_RATE: '.35' }).paymentFailureRate).toBe(0.35);
  });

  it.each([
    ['PAYMENT_FAILURE_RATE', '1.5', 'PAYMENT_FAILURE_RATE must be a number from 0 to 1 (the share of payment calls that fail, e.g. 0.2), got "1.5". Fix PAYMENT_FAILURE_RATE or unset it (default 0.2).'],
    ['PAYMENT_FAILURE_RATE', '-0.1', 'got "-0.1"'],
    ['PAYMENT_FAILURE_RATE', '20%', 'got "20%"'],
    ['PAYMENT_FAILURE_RATE', 'NaN', 'got "NaN"'],
    ['PAYMENT_LATENCY_MS', '-5', 'PAYMENT_LATENCY_MS must be an integer from 0 to 60000 (milliseconds each payment call takes), got "-5". Fix PAYMENT_LATENCY_MS or unset it (default 50).'],
    ['PAYMENT_LATENCY_MS', '1e3', 'got "1e3"'],
    ['PAYMENT_TIMEOUT_MS', '0', 'PAYMENT_TIMEOUT_MS must be an integer from 1 to 60000'],
    ['TCP_PORT', '70000', 'TCP_PORT must be an integer from 0 to 65535 (the TCP microservice port, 0 for any free port), got "70000". Fix TCP_PORT or unset it (default 4001).'],
    ['PORT', 'http', 'PORT must be an integer from 0 to 65535'],
    ['DRAIN_DELAY_MS', '2s', 'DRAIN_DELAY_MS must be an integer from 0 to 60000'],
    ['REDIS_URL', '127.0.0.1:6379', 'REDIS_URL must be a redis: or rediss: URL such as redis://127.0.0.1:6379, got "127.0.0.1:6379". Fix REDIS_URL, or unset it to keep orders in memory.'],
    ['REDIS_URL', 'http://127.0.0.1:6379', 'got "http://127.0.0.1:6379"'],
  ])('refuses %s=%j, naming the variable, the value and the fix', (name, value, message) => {
    expect(() => readOrdersConfig({ [name]: value })).toThrow(message);
  });
});
