import type { ServiceInstance } from '@nestmesh/discovery';
import { candidatePools, earliest } from './candidate-pools.js';
import { Endpoint, weightOf } from './endpoint.js';

const endpoint = (id: string, extra: Partial<ServiceInstance> = {}) =>
  new Endpoint({ id, name: 's', address: '127.0.0.1', port: 1, tags: [], meta: {}, health: 'passing', stale: false, weight: 1, ports: {}, ...extra } as ServiceInstance, null);
const ids = (list: readonly Endpoint<null>[]) => list.map((e) => e.instance.id);

describe('candidatePools', () => {
  it('sorts endpoints by what they may take, leaving critical ones out of every pool', () => {
    const passing = endpoint('passing');
    const warning = endpoint('warning', { health: 'warning' });
    const critical = endpoint('critical', { health: 'critical' });
    const ejected = endpoint('ejected');
    ejected.ejectedUntil = 500;
    const ejectedCritical = endpoint('ejected-critical', { health: 'critical' });
    ejectedCritical.ejectedUntil = 500;
    const waiting = endpoint('waiting');
    waiting.notBefore = 300;
    const mutedWarning = endpoint('muted', { health: 'warning', warningWeight: 0 });
    const pools = candidatePools([passing, warning, critical, ejected, ejectedCritical, waiting, mutedWarning], 100);
    expect(ids(pools.healthy)).toEqual(['passing', 'warning']);
    expect(ids(pools.waiting)).toEqual(['waiting']);
    expect(ids(pools.reserve)).toEqual(['ejected', 'muted']);
    expect(pools.until).toBe(300);
    // Once the wait is over, the instance is healthy again.
    expect(ids(candidatePools([waiting], 300).healthy)).toEqual(['waiting']);
  });

  it('earliest() keeps the endpoints that wait the least', () => {
    const [a, b, c] = [endpoint('a'), endpoint('b'), endpoint('c')];
    a.notBefore = 200;
    b.notBefore = 100;
    c.notBefore = 100;
    expect(ids(earliest([a, b, c]))).toEqual(['b', 'c']);
  });

  it("weighs a warning instance by Weights.Warning, a passing one by Weights.Passing", () => {
    expect(weightOf(endpoint('p', { weight: 10, warningWeight: 2 }).instance)).toBe(10);
    expect(weightOf(endpoint('w', { health: 'warning', weight: 10, warningWeight: 2 }).instance)).toBe(2);
    expect(weightOf(endpoint('d', { health: 'warning', weight: 10 }).instance)).toBe(1);
  });
});
