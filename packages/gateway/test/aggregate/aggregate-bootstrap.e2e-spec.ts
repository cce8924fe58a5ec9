import { PLATFORMS, gatewayBootstrapError } from '../support/gateway-app.js';

const legs = { orders: { service: 'orders', path: '/orders' }, stats: { service: 'orders', pattern: 'orders.stats' } };
const gateway = (route: Record<string, unknown>) => ({ routes: [{ id: 'dashboard', path: '/api/dashboard', ...route }] });

describe.each(PLATFORMS)('aggregation routes refused at bootstrap, on %s', (platform) => {
  it('refuses an unknown key of a leg or of aggregate, naming the route, the key and the closest valid one', async () => {
    const leg = await gatewayBootstrapError(platform, gateway({ aggregate: { legs: { ...legs, stats: { service: 'orders', patern: 'orders.stats' } } } }));
    expect(leg.message).toBe(
      'GatewayModule route "dashboard": unknown option "aggregate.legs.stats.patern". Did you mean "pattern"? Valid options: service, url, path, method, headers, pattern, data, timeout. ' +
        'Unknown options are refused so that a typo cannot change behaviour (a misspelt "auth" would leave a route public).',
    );
    const section = await gatewayBootstrapError(platform, gateway({ aggregate: { legs, timeuot: 100 } }));
    expect(section.message).toContain('unknown option "aggregate.timeuot". Did you mean "timeout"?');
  });

  it('refuses a leg named errors (reserved for the failed legs)', async () => {
    const error = await gatewayBootstrapError(platform, gateway({ aggregate: { legs: { ...legs, errors: { service: 'orders', path: '/errors' } } } }));
    expect(error.message).toMatch(/route "dashboard" has an invalid "aggregate\.legs\.errors".*"errors" is reserved/);
  });

  it('refuses a route with both aggregate and a service, and one with neither', async () => {
    const both = await gatewayBootstrapError(platform, gateway({ service: 'orders', aggregate: { legs } }));
    expect(both.message).toMatch(/route "dashboard" has an invalid "aggregate".*remove "service", or remove "aggregate"/);
    const neither = await gatewayBootstrapError(platform, gateway({}));
    expect(neither.message).toMatch(/route "dashboard" .*set exactly one of "service".*"url".*"aggregate"/);
  });

  it('refuses a leg timeout that is neither milliseconds nor a duration', async () => {
    const error = await gatewayBootstrapError(platform, gateway({ aggregate: { legs: { orders: { ...legs.orders, timeout: 'soon' } } } }));
    expect(error.message).toMatch(/invalid "aggregate\.legs\.orders\.timeout" "soon": a whole number of milliseconds.*or a duration such as "500ms" or "2s"/);
  });

  it('refuses service legs without a ServiceDiscovery in the app, naming the route', async () => {
    const error = await gatewayBootstrapError(platform, gateway({ aggregate: { legs } }));
    expect(error.message).toContain('route(s) "dashboard" target discovered services, but no ServiceDiscovery is available');
  });
});
