/**
 * What became of an order's payment: `paid` when the payment provider accepted it, `payment_pending` when every
 * attempt failed, timed out or the circuit breaker was open, so the `@Fallback` kept the order for a later charge.
 */
export type OrderStatus = 'paid' | 'payment_pending';

/** An order of the demo. */
export interface Order {
  /** A positive integer as a string, unique across every instance sharing the repository. */
  id: string;
  item: string;
  quantity: number;
  status: OrderStatus;
  /** ISO 8601. */
  createdAt: string;
}

/** What `orders.stats` answers. */
export interface OrdersStats {
  /** How many orders exist. */
  count: number;
  /** The sum of their quantities. */
  totalQuantity: number;
}

/** A new order, before the repository gives it its id. */
export type NewOrder = Omit<Order, 'id'>;
