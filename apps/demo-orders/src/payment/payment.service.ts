import { Injectable, Logger } from '@nestjs/common';
import { CircuitBreaker, Fallback, Retry, Timeout, currentSignal } from '@nestmesh/resilience';
import type { OrderStatus } from '../orders/order.interface.js';
import { PaymentProvider } from './payment-provider.js';

/** Name of the `@nestmesh/resilience` policy of payments (configured in `paymentPolicy()`). */
export const PAYMENT_POLICY = 'payment';

/**
 * Pays for an order through the flaky {@link PaymentProvider}, inside the resilience stack
 * `Fallback(Retry(CircuitBreaker(Timeout(charge))))`: each attempt has `PAYMENT_TIMEOUT_MS`, a failed attempt
 * is retried (3 attempts in all), 5 failures in a row open the breaker for 10 s (calls then fail at once), and
 * whatever still fails falls back to `payment_pending` instead of failing the order.
 */
@Injectable()
export class PaymentService {
  private readonly logger = new Logger('Payment');

  constructor(private readonly provider: PaymentProvider) {}

  /** `paid`, or `payment_pending` when the payment could not be made now. */
  @Fallback(function (this: PaymentService, error: unknown): OrderStatus {
    this.logger.log(`Payment fell back to payment_pending: ${(error as Error)?.message ?? String(error)}`);
    return 'payment_pending';
  })
  @Retry(PAYMENT_POLICY)
  @CircuitBreaker(PAYMENT_POLICY)
  @Timeout(PAYMENT_POLICY)
  async pay(item: string, quantity: number): Promise<OrderStatus> {
    await this.provider.charge(item, quantity, currentSignal());
    return 'paid';
  }
}
