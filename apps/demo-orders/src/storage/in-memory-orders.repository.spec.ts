import { HttpException } from '@nestjs/common';
import { InMemoryOrdersRepository, InMemoryOrdersStore, sharedOrdersStore } from './in-memory-orders.repository.js';

const order = (item: string, quantity = 1) => ({ item, quantity, status: 'paid' as const, createdAt: '2026-01-01T00:00:00.000Z' });

describe('InMemoryOrdersRepository', () => {
  it('gives every repository over one store the same orders and one id sequence (two instances of the embedded demo)', async () => {
    const store = new InMemoryOrdersStore();
    const [first, second] = [new InMemoryOrdersRepository(store), new InMemoryOrdersRepository(store)];
    const a = await first.create(order('a', 2));
    const b = await second.create(order('b', 3));
    expect([a.id, b.id]).toEqual(['1', '2']);
    expect(await first.get('2')).toEqual(b);
    expect(await second.list()).toEqual([a, b]);
    expect(await second.stats()).toEqual({ count: 2, totalQuantity: 5 });
    expect(new InMemoryOrdersRepository()).toEqual(new InMemoryOrdersRepository(sharedOrdersStore));
  });

  it('refuses with 507 once the store is full, naming the bound and the fix, and keeps what it has', async () => {
    const repository = new InMemoryOrdersRepository(new InMemoryOrdersStore(2));
    await repository.create(order('a'));
    await repository.create(order('b'));
    const refusal = await repository.create(order('c')).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(HttpException);
    expect((refusal as HttpException).getStatus()).toBe(507);
    expect((refusal as HttpException).message).toBe('The in-memory orders store is full (2 orders). Restart the demo to empty it, or set REDIS_URL to keep orders in Redis.');
    expect(await repository.stats()).toEqual({ count: 2, totalQuantity: 2 });
  });
});
