import { resolveConsulEndpoint } from './consul-endpoint.js';

describe('resolveConsulEndpoint', () => {
  it('defaults to 127.0.0.1:8500 over HTTP', () => {
    expect(resolveConsulEndpoint({}, {}).baseUrl.origin).toBe('http://127.0.0.1:8500');
  });

  it('reads CONSUL_HTTP_ADDR, CONSUL_HTTP_TOKEN and CONSUL_HTTP_SSL', () => {
    const endpoint = resolveConsulEndpoint({}, { CONSUL_HTTP_ADDR: 'consul.internal:8501', CONSUL_HTTP_TOKEN: 's3cr3t', CONSUL_HTTP_SSL: 'true' });
    expect(endpoint.baseUrl.origin).toBe('https://consul.internal:8501');
    expect(endpoint.token).toBe('s3cr3t');
  });

  it('keeps an explicit scheme and lets options win over the environment', () => {
    const endpoint = resolveConsulEndpoint({ address: 'http://10.1.1.1:8500', token: 'opt' }, { CONSUL_HTTP_ADDR: 'x:1', CONSUL_HTTP_TOKEN: 'env', CONSUL_HTTP_SSL: '1' });
    expect(endpoint.baseUrl.origin).toBe('http://10.1.1.1:8500');
    expect(endpoint.token).toBe('opt');
  });

  it.each([
    ['ftp://consul:21', 'the consul.address option'],
    ['http://', 'the consul.address option'],
    ['http://consul:8500/v1', 'the consul.address option'],
  ])('refuses %p, naming where it came from', (address, source) => {
    expect(() => resolveConsulEndpoint({ address }, {})).toThrow(`Invalid Consul address ${JSON.stringify(address)} (from ${source})`);
  });
});

describe('resolveConsulEndpoint over HTTPS', () => {
  it('reads CONSUL_CACERT and CONSUL_HTTP_SSL_VERIFY', () => {
    const pem = new URL('../../../../../package.json', import.meta.url).pathname; // any readable file stands in for a PEM
    const endpoint = resolveConsulEndpoint({}, { CONSUL_HTTP_ADDR: 'https://consul:8501', CONSUL_CACERT: pem, CONSUL_HTTP_SSL_VERIFY: 'false' });
    expect(endpoint.tls?.ca?.length).toBeGreaterThan(0);
    expect(endpoint.tls?.rejectUnauthorized).toBe(false);
    expect(resolveConsulEndpoint({}, { CONSUL_HTTP_ADDR: 'https://consul:8501' }).tls).toEqual({ ca: undefined, rejectUnauthorized: true });
    expect(resolveConsulEndpoint({}, { CONSUL_HTTP_ADDR: 'consul:8500' }).tls).toBeUndefined();
  });

  it('names an unreadable CA file and where it came from', () => {
    expect(() => resolveConsulEndpoint({}, { CONSUL_HTTP_ADDR: 'https://consul:8501', CONSUL_CACERT: '/nope/ca.pem' })).toThrow(
      /Cannot read the Consul CA certificate "\/nope\/ca\.pem" \(from CONSUL_CACERT\)/,
    );
  });
});
