import { isGatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { canonicalAddress, TrustedProxies } from './trusted-proxies.js';

describe('TrustedProxies', () => {
  it('matches addresses and CIDR ranges of both families, and named ranges', () => {
    const trusted = TrustedProxies.parse('10.0.0.0/8, 192.0.2.7, 2001:db8::/32, loopback');
    expect(['10.255.0.1', '192.0.2.7', '2001:db8:ffff::1', '127.0.0.1', '::1', '::ffff:10.1.2.3', 'fe80::1%eth0'].map((a) => [a, trusted.has(a)])).toEqual([
      ['10.255.0.1', true],
      ['192.0.2.7', true],
      ['2001:db8:ffff::1', true],
      ['127.0.0.1', true],
      ['::1', true],
      ['::ffff:10.1.2.3', true],
      ['fe80::1%eth0', false],
    ]);
    expect(['11.0.0.1', '192.0.2.8', '2001:db9::1', 'not-an-ip', '', undefined].map((a) => trusted.has(a))).toEqual([false, false, false, false, false, false]);
  });

  it('trusts nobody when empty', () => {
    expect(TrustedProxies.parse(undefined).has('127.0.0.1')).toBe(false);
    expect(TrustedProxies.parse('').has('10.0.0.1')).toBe(false);
    expect(TrustedProxies.parse(['uniquelocal']).has('172.20.1.1')).toBe(true);
  });

  it.each(['10.0.0.0/33', '10.0.0.0/x', 'example.com', '::1/129', '10.0.0.0/8/1', '10.0.0.0/-1'])('refuses %p, naming it and the fix', (entry) => {
    let error: unknown;
    try {
      TrustedProxies.parse(`127.0.0.1, ${entry}`);
    } catch (caught) {
      error = caught;
    }
    expect(isGatewayConfigurationError(error)).toBe(true);
    expect((error as Error).message).toContain(`Invalid trusted proxy ${JSON.stringify(entry)}`);
  });

  it('answers for a connection peer as has() does, on its canonical address, and remembers the answer', () => {
    const trusted = TrustedProxies.parse('10.0.0.0/8');
    expect(trusted.peer('::ffff:10.1.2.3')).toEqual({ address: '10.1.2.3', trusted: true });
    expect(trusted.peer('::ffff:10.1.2.3')).toBe(trusted.peer('::ffff:10.1.2.3'));
    expect(trusted.peer('203.0.113.9')).toEqual({ address: '203.0.113.9', trusted: false });
    expect(trusted.peer('not-an-address')).toEqual({ address: undefined, trusted: false });
    expect(trusted.peer(undefined)).toEqual({ address: undefined, trusted: false });
    for (let index = 0; index < 3_000; index += 1) trusted.peer(`192.0.2.${index % 256}`); // bounded, still right
    expect(trusted.peer('10.9.9.9').trusted).toBe(true);
  });

  it('canonicalises addresses', () => {
    expect(canonicalAddress('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalAddress(' 2001:DB8::1 ')).toBe('2001:db8::1');
    expect(canonicalAddress('1.2.3')).toBeUndefined();
  });
});
