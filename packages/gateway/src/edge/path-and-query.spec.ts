import { endsInBareQuery, joinPathAndQuery } from './path-and-query.js';
import { normalizeRequestTarget } from './request-target.js';

describe('joinPathAndQuery', () => {
  it('appends the query as it is, keeps a bare "?", and adds nothing without a query', () => {
    expect(joinPathAndQuery('/a', 'x=1+2;y=%C3%A9&x=')).toBe('/a?x=1+2;y=%C3%A9&x=');
    expect(joinPathAndQuery('/a', '', true)).toBe('/a?');
    expect(joinPathAndQuery('/a', '')).toBe('/a');
    expect(joinPathAndQuery('/a', '', false)).toBe('/a');
  });

  it('tells a bare "?" from no query, and from a query that ends in "?"', () => {
    expect(endsInBareQuery('/a?', '')).toBe(true);
    expect(endsInBareQuery('/a', '')).toBe(false);
    expect(endsInBareQuery('/a?b?', 'b?')).toBe(false);
  });

  it('rebuilds what normalizeRequestTarget took apart, byte for byte', () => {
    for (const target of ['/a?', '/a', '/a?b=1&b=2', '/a/./b/../c?%zz', '/a?q=a+b%20c?d', '/%61?']) {
      const { encodedPath, query } = normalizeRequestTarget(target);
      const tail = target.slice(target.indexOf('?') === -1 ? target.length : target.indexOf('?'));
      expect(joinPathAndQuery(encodedPath, query, endsInBareQuery(target, query))).toBe(`${encodedPath}${tail}`);
    }
  });
});
