/** Injection token of the orders service's {@link OrdersConfig}. */
export const ORDERS_CONFIG = 'DEMO_ORDERS:config';

/** The TCP message patterns the orders service answers. */
export const ORDERS_PATTERNS = {
  /** Payload `{ id }`: the order, or an error `{ statusCode: 404 }` / `{ statusCode: 400 }`. */
  get: 'orders.get',
  /** No payload: `{ count, totalQuantity }`. */
  stats: 'orders.stats',
} as const;
