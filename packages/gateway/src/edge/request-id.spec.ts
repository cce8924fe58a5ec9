import { requestIdOf, validTraceparent } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request id and traceparent', () => {
  it('propagates a safe incoming request id and generates one otherwise', () => {
    expect(requestIdOf({ 'x-request-id': 'abc-123_x.y:z' })).toBe('abc-123_x.y:z');
    expect(requestIdOf({})).toMatch(UUID);
    expect(requestIdOf({}) === requestIdOf({})).toBe(false);
    for (const unsafe of ['', 'a b', 'x\r\ny', 'é', 'a'.repeat(129)]) expect(requestIdOf({ 'x-request-id': unsafe })).toMatch(UUID);
    expect(requestIdOf({ 'x-request-id': ['a', 'b'] })).toMatch(UUID);
    expect(requestIdOf({ 'x-request-id': 'abc' }, false)).toMatch(UUID);
  });

  it('propagates only a valid traceparent', () => {
    const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(validTraceparent({ traceparent: valid })).toBe(valid);
    expect(validTraceparent({ traceparent: `01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra` })).toBe('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra');
    for (const invalid of [
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
      `${valid}-extra`,
      'garbage',
    ]) {
      expect(validTraceparent({ traceparent: invalid })).toBeUndefined();
    }
    expect(validTraceparent({ traceparent: [valid, valid] })).toBeUndefined();
    expect(validTraceparent({})).toBeUndefined();
  });
});
