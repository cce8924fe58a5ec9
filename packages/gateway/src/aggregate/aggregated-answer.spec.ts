import { aggregatedAnswer } from './aggregated-answer.js';

const json = (answer: { body: Buffer }) => JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;

describe('aggregatedAnswer', () => {
  it('merges every leg in order, complete, with the caching the legs allow', () => {
    const answer = aggregatedAnswer(
      [
        { name: 'orders', json: '[{"id":1}]', headers: { 'cache-control': 'max-age=30' } },
        { name: 'stats', json: '{"count":1}' },
      ],
      '/api/dashboard',
      'r1',
    );
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({ 'content-type': 'application/json', 'cache-control': 'max-age=30', 'x-nestmesh-completed': 'true' });
    expect(answer.body.toString()).toBe('{"orders":[{"id":1}],"stats":{"count":1}}');
  });

  it('a partial answer: the legs that answered, errors naming the others, not completed, never stored', () => {
    const answer = aggregatedAnswer(
      [
        { name: 'orders', json: '[]', headers: { 'cache-control': 'public, max-age=60' } },
        { name: 'stats', failure: { status: 504, detail: 'The leg did not answer within 100 ms.' } },
      ],
      '/d',
      'r2',
    );
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({ 'cache-control': 'no-store', 'x-nestmesh-completed': 'false' });
    expect(json(answer)).toEqual({ orders: [], errors: { stats: { status: 504, title: 'Gateway Timeout', detail: 'The leg did not answer within 100 ms.' } } });
  });

  it('every leg failed: a problem+json 504 when all timed out, 502 otherwise, listing the legs', () => {
    const timedOut = aggregatedAnswer(
      [
        { name: 'a', failure: { status: 504, detail: 'late' } },
        { name: 'b', failure: { status: 504, detail: 'late' } },
      ],
      '/d',
      'r3',
    );
    expect(timedOut.status).toBe(504);
    expect(timedOut.headers).toEqual({ 'content-type': 'application/problem+json', 'cache-control': 'no-store', 'x-nestmesh-completed': 'false' });
    expect(json(timedOut)).toMatchObject({ type: 'about:blank', title: 'Gateway Timeout', status: 504, instance: '/d', requestId: 'r3', errors: { a: { status: 504 }, b: { status: 504 } } });
    expect(json(timedOut).detail).toContain('"a", "b"');
    const mixed = aggregatedAnswer(
      [
        { name: 'a', failure: { status: 504, detail: 'late' } },
        { name: 'b', failure: { status: 502, detail: 'refused' } },
      ],
      '/d',
      'r4',
    );
    expect(mixed.status).toBe(502);
    expect(json(mixed)).toMatchObject({ status: 502, errors: { a: { status: 504, title: 'Gateway Timeout' }, b: { status: 502, title: 'Bad Gateway', detail: 'refused' } } });
  });
});
