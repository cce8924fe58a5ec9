import { stripHopByHopHeaders } from './hop-by-hop-headers.js';

describe('stripHopByHopHeaders', () => {
  it('drops every hop-by-hop header', () => {
    const headers = {
      connection: 'keep-alive',
      'proxy-connection': 'keep-alive',
      'keep-alive': 'timeout=5',
      'proxy-authenticate': 'Basic',
      'proxy-authorization': 'Basic eA==',
      te: 'trailers',
      trailer: 'x-checksum',
      'transfer-encoding': 'chunked',
      upgrade: 'h2c',
      accept: 'application/json',
      'content-type': 'text/plain',
    };
    expect(stripHopByHopHeaders(headers)).toEqual({ accept: 'application/json', 'content-type': 'text/plain' });
  });

  it('drops the headers named in Connection, whatever their case, across repeated values', () => {
    const headers = { connection: ['close, X-Internal-Token', ' x-debug ,,'], 'x-internal-token': 'secret', 'x-debug': '1', 'x-kept': 'yes' };
    expect(stripHopByHopHeaders(headers)).toEqual({ 'x-kept': 'yes' });
  });

  it('lets Connection remove an end-to-end header too (the gateway then sets its own)', () => {
    expect(stripHopByHopHeaders({ connection: 'authorization, x-forwarded-for', authorization: 'Bearer x', 'x-forwarded-for': '1.2.3.4', host: 'a' })).toEqual({ host: 'a' });
  });

  it('does not change its input, and keeps arrays and numbers', () => {
    const headers = { connection: 'x-a', 'x-a': '1', 'set-cookie': ['a=1', 'b=2'], 'content-length': 12 };
    expect(stripHopByHopHeaders(headers)).toEqual({ 'set-cookie': ['a=1', 'b=2'], 'content-length': 12 });
    expect(headers['x-a']).toBe('1');
  });
});
