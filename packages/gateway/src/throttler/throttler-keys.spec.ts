import { apiKeyTracker, clientIpTracker, userTracker } from './throttler-keys.js';

describe('throttler trackers', () => {
  it('keys a verified user by sub, hashing an oversized one', () => {
    expect(userTracker('alice')).toBe('user:alice');
    expect(userTracker('x'.repeat(500))).toMatch(/^user#[0-9a-f]{64}$/);
    expect([undefined, '', 42, null].map(userTracker)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('keys an API key by its hash, never the key itself', () => {
    const tracker = apiKeyTracker('sk_live_secret')!;
    expect(tracker).toMatch(/^key:[0-9a-f]{64}$/);
    expect(tracker).not.toContain('secret');
    expect(apiKeyTracker('sk_live_secret')).toBe(tracker);
    expect(apiKeyTracker('sk_live_other')).not.toBe(tracker);
    expect(apiKeyTracker('')).toBeUndefined();
  });

  it('groups IPv6 clients by /64 and keeps IPv4 as is', () => {
    expect(clientIpTracker('203.0.113.7')).toBe('ip:203.0.113.7');
    expect(clientIpTracker('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('ip:2001:db8:1:2::/64');
    expect(clientIpTracker('2001:db8:1:2::1')).toBe(clientIpTracker('2001:db8:1:2:ffff::9'));
    expect(clientIpTracker('2001:db8:1:3::1')).not.toBe(clientIpTracker('2001:db8:1:2::1'));
    expect(clientIpTracker('::ffff:198.51.100.4')).toBe('ip:198.51.100.4');
    expect(clientIpTracker('fe80::1%eth0')).toBe('ip:fe80::/64');
    expect(clientIpTracker('2001:db8:1:2:3:4:5:6', 48)).toBe('ip:2001:db8:1::/48');
  });

  it('refuses what is not an address instead of keying on it', () => {
    expect(['', 'unknown', '1.2.3.4, 5.6.7.8', '999.1.1.1', undefined, 7].map((value) => clientIpTracker(value))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
