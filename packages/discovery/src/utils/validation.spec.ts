import { defineService } from '../registration/service-definition.js';
import { assertMeta, assertServiceName, isInstanceAddress } from './validation.js';

const define = (options: object) => () => defineService({ name: 'orders', ...options }, {}, 't', {});

describe('validation', () => {
  it.each(['orders', 'order-api', 'A1', 'a'.repeat(63)])('accepts the service name %p', (name) => {
    expect(() => assertServiceName(name, 'test')).not.toThrow();
  });
  it.each(['', '-orders', 'orders-', 'order_api', 'or ders', 'a'.repeat(64), 42, undefined])('refuses the service name %p', (name) => {
    expect(() => assertServiceName(name, 'test')).toThrow(/^test: invalid service name/);
  });
  it.each([1, 80, 65_535])('accepts the port %p', (port) => expect(define({ port })).not.toThrow());
  it.each([0, -1, 65_536, 1.5, Number.NaN, '80'])('refuses the port %p', (port) => expect(define({ port })).toThrow(/^t: invalid port/));
  it.each(['10.0.0.5', '::1', 'orders.internal', 'localhost'])('accepts the address %p', (address) => expect(define({ address })).not.toThrow());
  it.each(['http://x', '10.0.0.5:80', '', 'a b'])('refuses the address %p', (address) => expect(define({ address })).toThrow(/^t: invalid address/));
  it.each(['10.0.0.5', '::1', '2001:db8::5', 'orders.internal', 'localhost', 'orders-1.internal', '1a.example', 'a.b1'])('takes %p as an instance address', (address) => expect(isInstanceAddress(address)).toBe(true));
  it.each(['[::1]', 'http://127.0.0.1', '127.0.0.1:8080', '', ' ', 'fe80::1%lo', 'a/b', '127.0.0.1.5', '999.1.1.1', 'a.123', '0x7f.1', '123', 42, undefined, null])('refuses %p as an instance address', (address) =>
    expect(isInstanceAddress(address)).toBe(false),
  );
  it('checks meta against Consul rules', () => {
    expect(() => assertMeta({ version: '1.0', 'team_name-x': 'a' }, 't')).not.toThrow();
    expect(() => assertMeta({ 'consul-x': 'a' }, 't')).toThrow(/invalid meta entry "consul-x"/);
    expect(() => assertMeta({ v: 'x'.repeat(513) }, 't')).toThrow(/invalid meta entry "v"/);
    expect(() => assertMeta({ v: 1 }, 't')).toThrow(/invalid meta entry "v": 1/);
    expect(() => assertMeta({ 'nestmesh-port-tcp': '4001' }, 't')).toThrow(/^t: meta key "nestmesh-port-tcp" is reserved/);
    expect(() => assertMeta({ 'nestmesh-port-tcp': '4001' }, 't', true)).not.toThrow();
  });
});
