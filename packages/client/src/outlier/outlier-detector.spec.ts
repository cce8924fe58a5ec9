import type { ServiceInstance } from '@nestmesh/discovery';
import { Endpoint } from '../balancer/endpoint.js';
import { OUTLIER_DEFAULTS, OutlierDetector } from './outlier-detector.js';

const endpoint = (id: string) => new Endpoint({ id, name: 's', address: '127.0.0.1', port: 1, tags: [], meta: {}, health: 'passing', stale: false, weight: 1, ports: {} } as ServiceInstance, null);

describe('OutlierDetector', () => {
  const detector = new OutlierDetector({ ...OUTLIER_DEFAULTS, consecutiveFailures: 3, baseEjectionTime: 1_000, maxEjectionTime: 2_500, maxEjectionPercent: 50 });

  it('ejects after consecutive failures, for a time that grows with repeated ejections up to the maximum', () => {
    const [a, b] = [endpoint('a'), endpoint('b')];
    expect(detector.onFailure(a, [a, b], 0)).toBe(false);
    detector.onSuccess(a, 0);
    expect([detector.onFailure(a, [a, b], 0), detector.onFailure(a, [a, b], 0), detector.onFailure(a, [a, b], 0)]).toEqual([false, false, true]);
    expect(a.ejectedUntil).toBe(1_000);
    for (let i = 0; i < 3; i++) detector.onFailure(a, [a, b], 1_000);
    expect(a.ejectedUntil).toBe(3_000);
    for (let i = 0; i < 3; i++) detector.onFailure(a, [a, b], 3_000);
    expect(a.ejectedUntil).toBe(5_500);
  });

  it('never ejects more than maxEjectionPercent (but one of two)', () => {
    const [a, b] = [endpoint('a'), endpoint('b')];
    for (let i = 0; i < 3; i++) detector.onFailure(a, [a, b], 0);
    for (let i = 0; i < 3; i++) detector.onFailure(b, [a, b], 0);
    expect(a.isEjected(1)).toBe(true);
    expect(b.isEjected(1)).toBe(false);
  });
});
