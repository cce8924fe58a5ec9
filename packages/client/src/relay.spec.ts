import * as root from './index.js';
import * as relay from './relay.js';

describe('@nestmesh/client/relay: the gateway contract, out of the root API', () => {
  const gatewayOnly = ['AbortTarget', 'RelayAttempt', 'parseRawHeaders', 'continueSkippingConnector'];

  it('exports what a gateway builds its path from', () => {
    expect(Object.keys(relay).sort()).toEqual([...gatewayOnly].sort());
    expect(relay.parseRawHeaders([Buffer.from('Set-Cookie'), Buffer.from('a=1'), Buffer.from('set-cookie'), Buffer.from('b=2')])).toEqual({ 'set-cookie': ['a=1', 'b=2'] });
  });

  it('leaves those names out of the root entry point, which keeps ServiceClient.relay()', () => {
    for (const name of gatewayOnly) expect(Object.keys(root)).not.toContain(name);
    expect(typeof root.ServiceClient.prototype.relay).toBe('function');
  });
});
