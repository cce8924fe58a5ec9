import { parseRawHeaders } from './raw-headers.js';

const raw = (...pairs: string[]) => pairs.map((item) => Buffer.from(item, 'latin1'));

describe('parseRawHeaders', () => {
  it('lower-cases names and keeps values as sent', () => {
    expect(parseRawHeaders(raw('Content-Type', 'text/plain; charset=UTF-8', 'X-Thing', ' a b '))).toEqual({ 'content-type': 'text/plain; charset=UTF-8', 'x-thing': ' a b ' });
  });

  it('keeps every value of a repeated header, in order, whatever the case of its name', () => {
    expect(parseRawHeaders(raw('Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'SET-COOKIE', 'c=3'))).toEqual({ 'set-cookie': ['a=1', 'b=2', 'c=3'] });
  });

  it('reads bytes as latin1, as HTTP header values are', () => {
    expect(parseRawHeaders([Buffer.from('x-name'), Buffer.from([0x63, 0x61, 0x66, 0xe9])])).toEqual({ 'x-name': 'café' });
  });

  it('treats names of Object.prototype as plain names and drops __proto__', () => {
    const headers = parseRawHeaders(raw('constructor', 'a', 'toString', 'b', '__proto__', 'c', 'toString', 'd'));
    expect(headers).toEqual({ constructor: 'a', tostring: ['b', 'd'] });
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
  });
});
