import type { ServiceInstance } from '@nestmesh/discovery';
import { createHash } from 'node:crypto';
import { ConsistentHashStrategy } from './consistent-hash.strategy.js';
import { LeastRequestStrategy } from './least-request.strategy.js';
import type { BalancedEndpoint } from './load-balancing-strategy.interface.js';
import { P2cEwmaStrategy } from './p2c-ewma.strategy.js';
import { RoundRobinStrategy } from './round-robin.strategy.js';
import { WeightedStrategy } from './weighted.strategy.js';

function endpoint(id: string, extra: Partial<{ weight: number; inFlight: number; latency: number }> = {}): BalancedEndpoint {
  const instance = { id, name: 'svc', address: '127.0.0.1', port: 1, tags: [], meta: {}, health: 'passing', stale: false } as unknown as ServiceInstance;
  return { instance, weight: extra.weight ?? 1, inFlight: extra.inFlight ?? 0, latency: () => extra.latency ?? 0 };
}

const count = (picks: BalancedEndpoint[]) => picks.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.instance.id]: (acc[e.instance.id] ?? 0) + 1 }), {});

describe('strategies', () => {
  it('round-robin rotates exactly', () => {
    const list = [endpoint('a'), endpoint('b'), endpoint('c')];
    const strategy = new RoundRobinStrategy();
    const ids = Array.from({ length: 7 }, () => strategy.pick(list).instance.id);
    expect(ids).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('weighted follows the weights exactly over each cycle, spread out', () => {
    const list = [endpoint('a', { weight: 5 }), endpoint('b', { weight: 1 }), endpoint('c', { weight: 1 })];
    const strategy = new WeightedStrategy();
    const picks = Array.from({ length: 700 }, () => strategy.pick(list));
    expect(count(picks)).toEqual({ a: 500, b: 100, c: 100 });
    expect(picks.slice(0, 7).map((e) => e.instance.id)).toEqual(['a', 'a', 'b', 'a', 'c', 'a', 'a']);
  });

  it('least-request picks the instance with the fewest requests in flight', () => {
    const list = [endpoint('a', { inFlight: 3 }), endpoint('b', { inFlight: 1 }), endpoint('c', { inFlight: 2 })];
    const strategy = new LeastRequestStrategy();
    for (let i = 0; i < 20; i++) expect(strategy.pick(list).instance.id).toBe('b');
  });

  it('p2c-ewma never picks the costlier of two', () => {
    const list = [endpoint('fast', { latency: 5 }), endpoint('slow', { latency: 100 })];
    const strategy = new P2cEwmaStrategy();
    for (let i = 0; i < 50; i++) expect(strategy.pick(list, { now: 0 }).instance.id).toBe('fast');
    // In-flight requests raise the cost: 5 ms × 30 in flight costs more than 100 ms × 1.
    const loaded = [endpoint('fast', { latency: 5, inFlight: 30 }), endpoint('slow', { latency: 100 })];
    expect(strategy.pick(loaded, { now: 0 }).instance.id).toBe('slow');
  });

  it('consistent-hash keeps keys in place and moves about 1/N when an instance joins', () => {
    const four = ['a', 'b', 'c', 'd'].map((id) => endpoint(id));
    const strategy = new ConsistentHashStrategy();
    strategy.update(four);
    const keys = Array.from({ length: 4_000 }, (_, i) => `user-${i}`);
    const before = keys.map((key) => strategy.pick(four, { key, now: 0 }).instance.id);
    expect(keys.map((key) => strategy.pick(four, { key, now: 0 }).instance.id)).toEqual(before);
    const shares = Object.values(count(before.map((id) => four.find((e) => e.instance.id === id)!)));
    for (const share of shares) expect(share).toBeGreaterThan(600);

    const five = [...four, endpoint('e')];
    strategy.update(five);
    const after = keys.map((key) => strategy.pick(five, { key, now: 0 }).instance.id);
    const moved = after.filter((id, i) => id !== before[i]);
    // Only keys that went to the new instance moved: about 1/5 of them.
    expect(new Set(moved)).toEqual(new Set(['e']));
    expect(moved.length / keys.length).toBeLessThan(0.3);
    expect(moved.length / keys.length).toBeGreaterThan(0.1);
  });

  it('consistent-hash sends the keys of an unavailable instance to the next ones and only those', () => {
    const list = ['a', 'b', 'c'].map((id) => endpoint(id));
    const strategy = new ConsistentHashStrategy();
    strategy.update(list);
    const keys = Array.from({ length: 1_000 }, (_, i) => `k${i}`);
    const before = keys.map((key) => strategy.pick(list, { key, now: 0 }).instance.id);
    const withoutB = list.filter((e) => e.instance.id !== 'b');
    const after = keys.map((key) => strategy.pick(withoutB, { key, now: 0 }).instance.id);
    after.forEach((id, i) => {
      if (before[i] !== 'b') expect(id).toBe(before[i]);
      else expect(id).not.toBe('b');
    });
  });

  describe('consistent-hash ring', () => {
    type Ring = { points: Uint32Array; owners: string[] };
    const ringOf = (strategy: ConsistentHashStrategy) => strategy as unknown as Ring;
    const fingerprint = ({ points, owners }: Ring) => createHash('sha256').update(Buffer.from(points.buffer)).update(owners.join(',')).digest('hex').slice(0, 16);
    const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => endpoint(`big-${from + i}`));

    it('is the ring every earlier version built (points by hash, then instance id), whatever the updates before', () => {
      const strategy = new ConsistentHashStrategy();
      strategy.update(ids(1_000, 3_400));
      const { points } = ringOf(strategy);
      // Points can share a hash (big-1181 and big-3306 share many): their order by id is part of the ring.
      expect(points.some((point, i) => i > 0 && point === points[i - 1])).toBe(true);
      // Fingerprints of the rings the comparator-sorted build made (before each id's points were cached).
      expect(fingerprint(ringOf(strategy))).toBe('dd8f0fc2fb00f05e');
      const changed = ids(1_500, 3_600);
      strategy.update(changed);
      expect(fingerprint(ringOf(strategy))).toBe('989877c8959ffbfe');
      const fresh = new ConsistentHashStrategy();
      fresh.update(changed);
      expect(fingerprint(ringOf(fresh))).toBe('989877c8959ffbfe');
    });

    it('is kept as it is when the set of instance ids did not change (an update of their health, weight or order)', () => {
      const strategy = new ConsistentHashStrategy();
      const list = ids(0, 100);
      strategy.update(list);
      const { points } = ringOf(strategy);
      strategy.update([...list, endpoint('big-50')].reverse());
      expect(ringOf(strategy).points).toBe(points);
    });
  });
});
