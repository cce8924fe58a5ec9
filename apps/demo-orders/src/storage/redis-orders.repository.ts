import { HttpException, HttpStatus, Logger, ServiceUnavailableException, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { once } from 'node:events';
import type { NewOrder, Order, OrdersStats } from '../orders/order.interface.js';
import { IN_MEMORY_ORDERS_CAPACITY } from './in-memory-orders.repository.js';
import type { OrdersRepository } from './orders.repository.js';

/** The Redis keys of the demo's orders. */
export const REDIS_KEYS = {
  /** INCR'd for each new order: ids unique across every instance. */
  nextId: 'nestmesh-demo:orders:next-id',
  /** Hash of id -> the order as JSON. */
  orders: 'nestmesh-demo:orders',
  /** The sum of every order's quantity, kept with each create in one MULTI. */
  totalQuantity: 'nestmesh-demo:orders:total-quantity',
} as const;

/** How long the first connection may take before the bootstrap fails, and each command after that. */
const CONNECT_TIMEOUT_MS = 5_000;
const COMMAND_TIMEOUT_MS = 2_000;

/** Stores an order unless the hash already holds `capacity` (one atomic step, whatever the instances racing): 1 stored, 0 full. */
const CREATE_WITHIN_CAPACITY = `
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('INCRBY', KEYS[2], ARGV[4])
return 1`;

function isOrder(value: unknown): value is Order {
  const order = value as Order | null;
  return typeof order === 'object' && order !== null && typeof order.id === 'string' && typeof order.item === 'string'
    && Number.isInteger(order.quantity) && (order.status === 'paid' || order.status === 'payment_pending') && typeof order.createdAt === 'string';
}

/**
 * Orders in Redis (`REDIS_URL`), so every orders instance using that Redis sees the same orders; ids come from
 * one `INCR`; at most `capacity` orders (as in memory: 507 beyond, whoever posts). The bootstrap fails when Redis refuses or does not answer within 5 s (naming REDIS_URL and the fix); later a
 * Redis that does not answer makes requests fail with 503 instead of waiting (no offline queue).
 */
export class RedisOrdersRepository implements OrdersRepository, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('OrdersRepository');
  private readonly redis: Redis;
  /** `host:port` of Redis, without credentials, for messages. */
  private readonly where: string;
  private failing = false;

  constructor(url: string, private readonly capacity = IN_MEMORY_ORDERS_CAPACITY) {
    const parsed = new URL(url);
    this.where = `${parsed.hostname}:${parsed.port || 6379}`;
    this.redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: CONNECT_TIMEOUT_MS, commandTimeout: COMMAND_TIMEOUT_MS });
    this.redis.on('error', (error: Error) => {
      if (this.failing) return;
      this.failing = true;
      this.logger.warn(`Redis at ${this.where} (REDIS_URL) failed: ${error.message}. Orders requests answer 503 until it is back.`);
    });
    this.redis.on('ready', () => {
      if (this.failing) this.logger.log(`Redis at ${this.where} answers again`);
      this.failing = false;
    });
  }

  async onModuleInit(): Promise<void> {
    this.redis.connect().catch(() => undefined);
    // `once` rejects with the first connection error, or with the abort after CONNECT_TIMEOUT_MS.
    const cause = await once(this.redis, 'ready', { signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS) }).then(
      () => undefined,
      (error: Error) => (error.name === 'AbortError' ? `no answer within ${CONNECT_TIMEOUT_MS} ms` : error.message),
    );
    if (cause !== undefined || this.redis.status !== 'ready') {
      this.redis.disconnect();
      throw new Error(`Could not reach Redis at ${this.where} (REDIS_URL): ${cause ?? this.redis.status}. Fix: start Redis there, correct REDIS_URL, or unset it to keep orders in memory.`);
    }
    this.logger.log(`Orders are kept in Redis at ${this.where}, shared by every instance using it`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  async create(order: NewOrder): Promise<Order> {
    const created = await this.run(async () => {
      const stored: Order = { id: String(await this.redis.incr(REDIS_KEYS.nextId)), ...order };
      const keys = [REDIS_KEYS.orders, REDIS_KEYS.totalQuantity];
      const done = await this.redis.eval(CREATE_WITHIN_CAPACITY, keys.length, ...keys, stored.id, JSON.stringify(stored), this.capacity, stored.quantity);
      return done === 1 ? stored : undefined;
    });
    if (created) return created;
    throw new HttpException(`The Redis orders store is full (${this.capacity} orders). Delete the hash ${REDIS_KEYS.orders} in that Redis to empty it.`, HttpStatus.INSUFFICIENT_STORAGE);
  }

  async get(id: string): Promise<Order | undefined> {
    return this.run(async () => this.parse(await this.redis.hget(REDIS_KEYS.orders, id)));
  }

  async list(): Promise<Order[]> {
    return this.run(async () => {
      const orders = (await this.redis.hvals(REDIS_KEYS.orders)).map((json) => this.parse(json)).filter((order) => order !== undefined);
      return orders.sort((a, b) => Number(a.id) - Number(b.id));
    });
  }

  async stats(): Promise<OrdersStats> {
    return this.run(async () => {
      const results = await this.redis.multi().hlen(REDIS_KEYS.orders).get(REDIS_KEYS.totalQuantity).exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw failed?.[0] ?? new Error('the transaction was discarded');
      return { count: Number(results[0][1]), totalQuantity: Number(results[1][1] ?? 0) };
    });
  }

  /** What Redis holds is input: an entry that is not an order is skipped (and logged), never thrown. */
  private parse(json: string | null): Order | undefined {
    if (json === null) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      value = undefined;
    }
    if (isOrder(value)) return value;
    this.logger.warn(`Skipped an entry of the Redis hash ${REDIS_KEYS.orders} that is not an order: ${json.slice(0, 100)}`);
    return undefined;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new ServiceUnavailableException(`The orders storage (Redis at ${this.where}) did not answer: ${(error as Error).message}. Retry later.`);
    }
  }
}
