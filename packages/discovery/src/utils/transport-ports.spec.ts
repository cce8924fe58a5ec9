import { portsFromMeta, portsToMeta } from './transport-ports.js';

describe('transport ports in registry meta', () => {
  it('writes each port as meta nestmesh-port-<transport> and reads it back', () => {
    const meta = portsToMeta({ tcp: 4001, grpc: 5001 });
    expect(meta).toEqual({ 'nestmesh-port-tcp': '4001', 'nestmesh-port-grpc': '5001' });
    expect(portsFromMeta({ ...meta, version: '1.0.0' })).toEqual({ tcp: 4001, grpc: 5001 });
  });

  it('skips meta that is not a port instead of guessing', () => {
    expect(
      portsFromMeta({ 'nestmesh-port-tcp': 'abc', 'nestmesh-port-udp': '0', 'nestmesh-port-x': '70000', 'nestmesh-port-': '80', 'nestmesh-port-y': '4002x', 'port-tcp': '1' }),
    ).toEqual({});
    expect(portsFromMeta(null)).toEqual({});
    expect(portsFromMeta(undefined)).toEqual({});
  });

});
