import { readDemoGatewayConfig } from './demo-config.js';

describe('readDemoGatewayConfig: the embedded orders instances', () => {
  it('embeds two orders instances from 3001 (HTTP) and 4001 (TCP), draining 100 ms with the in-memory registry and 2 s with Consul', () => {
    expect(readDemoGatewayConfig({})).toEqual(expect.objectContaining({ embeddedOrders: true, ordersInstances: 2, ordersPort: 3001, ordersTcpPort: 4001, drainDelayMs: 100 }));
    expect(readDemoGatewayConfig({ ORDERS_PORT: '0' })).toEqual(expect.objectContaining({ ordersPort: 0, ordersTcpPort: 0 }));
    expect(readDemoGatewayConfig({ ORDERS_PORT: '5001' })).toEqual(expect.objectContaining({ ordersPort: 5001, ordersTcpPort: 6001 }));
    expect(readDemoGatewayConfig({ CONSUL_HTTP_ADDR: '127.0.0.1:8500' })).toEqual(expect.objectContaining({ embeddedOrders: true, drainDelayMs: 2_000 }));
    expect(readDemoGatewayConfig({ EMBEDDED_ORDERS: 'false', ORDERS_INSTANCES: '3', ORDERS_PORT: '0', ORDERS_TCP_PORT: '0', DRAIN_DELAY_MS: '0' })).toEqual(
      expect.objectContaining({ embeddedOrders: false, ordersInstances: 3, ordersPort: 0, ordersTcpPort: 0, drainDelayMs: 0 }),
    );
  });

  it.each([
    ['EMBEDDED_ORDERS', 'no', 'EMBEDDED_ORDERS must be "true" or "false", got "no". Fix EMBEDDED_ORDERS or unset it (default true).'],
    ['ORDERS_INSTANCES', '0', 'ORDERS_INSTANCES must be an integer from 1 to 16, got "0". Fix ORDERS_INSTANCES or unset it (default 2).'],
    ['ORDERS_PORT', '65535', 'ORDERS_PORT must be an integer from 0 to 65534, got "65535". Fix ORDERS_PORT or unset it (default 3001).'],
    ['ORDERS_TCP_PORT', 'x', 'ORDERS_TCP_PORT must be an integer from 0 to 65534, got "x". Fix ORDERS_TCP_PORT or unset it (default 4001).'],
    ['DRAIN_DELAY_MS', '-1', 'DRAIN_DELAY_MS must be an integer from 0 to 60000, got "-1".'],
  ])('refuses %s=%j, naming the variable, the value and the fix', (name, value, message) => {
    expect(() => readDemoGatewayConfig({ [name]: value })).toThrow(message);
  });
});
