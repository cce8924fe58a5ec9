import { resolveForwarded } from './forwarded-headers.js';
import { TrustedProxies } from './trusted-proxies.js';

const trustedProxies = TrustedProxies.parse('10.0.0.0/8');
const resolve = (peer: string, headers: Record<string, string | string[]>, encrypted = false) => resolveForwarded({ peer, headers, encrypted, trustedProxies });

describe('resolveForwarded', () => {
  it('ignores every forwarding header from an untrusted peer: a spoofed client is never believed', () => {
    const result = resolve('203.0.113.7', { 'x-forwarded-for': '1.1.1.1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'admin.internal', host: 'api.example.com' });
    expect(result).toMatchObject({ client: '203.0.113.7', chain: ['203.0.113.7'], proto: 'http', host: 'api.example.com' });
    expect(result.headers).toEqual({ 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'api.example.com' });
  });

  it('walks X-Forwarded-For from the right through trusted proxies to the first untrusted hop', () => {
    const result = resolve('10.0.0.2', { 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.9', host: 'api.example.com' });
    expect(result.client).toBe('203.0.113.7');
    expect(result.chain).toEqual(['203.0.113.7', '10.0.0.9', '10.0.0.2']);
    expect(result.headers['x-forwarded-for']).toBe('203.0.113.7, 10.0.0.9, 10.0.0.2');
  });

  it('reads repeated X-Forwarded-For headers in order, and takes the leftmost when every hop is trusted', () => {
    expect(resolve('10.0.0.2', { 'x-forwarded-for': ['10.1.1.1', '10.2.2.2'] }).chain).toEqual(['10.1.1.1', '10.2.2.2', '10.0.0.2']);
  });

  it('stops at a hop that is not an address, keeping the last one it could believe', () => {
    expect(resolve('10.0.0.2', { 'x-forwarded-for': '203.0.113.7, garbage, 10.0.0.5' }).client).toBe('10.0.0.5');
    expect(resolve('10.0.0.2', { 'x-forwarded-for': '' }).client).toBe('10.0.0.2');
  });

  it('takes proto and host from a trusted peer (the nearest value), else from the connection and Host', () => {
    expect(resolve('10.0.0.2', { 'x-forwarded-proto': 'http, https', 'x-forwarded-host': 'shop.example.com', host: 'gw:3000' })).toMatchObject({
      proto: 'https',
      host: 'shop.example.com',
    });
    expect(resolve('10.0.0.2', { 'x-forwarded-proto': 'gopher', 'x-forwarded-host': 'bad host\r\n', host: 'gw:3000' }, true)).toMatchObject({ proto: 'https', host: 'gw:3000' });
    expect(resolve('203.0.113.7', { host: 'evil host' }).headers).toEqual({ 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'http' });
  });

  it('handles IPv6 and IPv4-mapped peers', () => {
    const v6 = TrustedProxies.parse('2001:db8::/32');
    expect(resolveForwarded({ peer: '2001:db8::1', headers: { 'x-forwarded-for': '2001:db9::7' }, encrypted: false, trustedProxies: v6 }).client).toBe('2001:db9::7');
    expect(resolve('::ffff:10.0.0.2', { 'x-forwarded-for': '198.51.100.1' }).client).toBe('198.51.100.1');
  });
});
