import { legRequestHeaders, withLegHeaders } from './leg-request-headers.js';

describe('legRequestHeaders', () => {
  it('keeps what admission forwards (identity, forwarding, credentials as proxied routes do) and drops what describes the incoming body or answer', () => {
    const forwarded = {
      authorization: 'Bearer t',
      'x-user-id': 'alice',
      'x-forwarded-for': '127.0.0.1',
      'x-request-id': 'r1',
      'content-length': '12',
      'content-type': 'text/plain',
      'accept-encoding': 'gzip, br',
      accept: 'text/html',
      range: 'bytes=0-1',
      'if-none-match': '"abc"',
      'if-modified-since': 'Wed, 21 Oct 2015 07:28:00 GMT',
      'accept-language': 'fr',
    };
    expect(legRequestHeaders(forwarded)).toEqual({
      authorization: 'Bearer t',
      'x-user-id': 'alice',
      'x-forwarded-for': '127.0.0.1',
      'x-request-id': 'r1',
      'accept-language': 'fr',
      accept: 'application/json',
    });
  });

  it("sets a leg's own headers over the shared ones, without changing them", () => {
    const shared = legRequestHeaders({ 'x-user-id': 'alice' });
    expect(withLegHeaders(shared, { 'x-api-version': '2', accept: 'application/vnd.x+json' })).toEqual({ 'x-user-id': 'alice', 'x-api-version': '2', accept: 'application/vnd.x+json' });
    expect(shared).toEqual({ 'x-user-id': 'alice', accept: 'application/json' });
    expect(withLegHeaders(shared, undefined)).toBe(shared);
  });
});
