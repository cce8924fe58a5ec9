import type { IncomingHttpHeaders } from 'node:http';
import { asHealthEntries, consulIndexOf, notConsulReason } from './consul-answer.js';
import type { ConsulRawResponse } from './consul-client.types.js';

const answer = (headers: IncomingHttpHeaders, body?: unknown, statusCode = 200) => ({ statusCode, headers, body }) as ConsulRawResponse;

describe('Consul answer checks', () => {
  it('believes JSON reads and empty writes, as Consul sends them', () => {
    expect(notConsulReason(answer({ 'content-type': 'application/json' }, []), 'json')).toBeUndefined();
    expect(notConsulReason(answer({}, undefined), 'empty')).toBeUndefined();
  });

  it('refuses HTML or text where Consul answers JSON, and a body where it answers none', () => {
    expect(notConsulReason(answer({ 'content-type': 'text/html; charset=utf-8' }, '<html>'), 'json')).toBe('HTTP 200 with content type "text/html" instead of application/json');
    expect(notConsulReason(answer({}, 'x'), 'json')).toBe('HTTP 200 with content type "(none)" instead of application/json');
    expect(notConsulReason(answer({ 'content-type': 'text/html' }, '<html>'), 'empty')).toBe('HTTP 200 with a "text/html" body where Consul answers with an empty one');
  });

  it('reads X-Consul-Index only when it is a number', () => {
    expect(consulIndexOf(answer({ 'x-consul-index': '42' }))).toBe(42);
    expect(consulIndexOf(answer({}))).toBeUndefined();
    expect(consulIndexOf(answer({ 'x-consul-index': 'soon' }))).toBeUndefined();
  });

  it('takes only a list of entries with a Service as health entries', () => {
    expect(asHealthEntries([{ Service: { ID: 'a' } }])).toHaveLength(1);
    expect(asHealthEntries([])).toEqual([]);
    expect(asHealthEntries({ Service: {} })).toBeUndefined();
    expect(asHealthEntries([{ Node: {} }])).toBeUndefined();
    expect(asHealthEntries('[]')).toBeUndefined();
  });
});
