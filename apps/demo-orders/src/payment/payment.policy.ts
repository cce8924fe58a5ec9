import type { ResilienceModuleOptions } from '@nestmesh/resilience';
import type { OrdersConfig } from '../config/orders-config.js';
import { PAYMENT_POLICY } from './payment.service.js';

/**
 * The `payment` policy of {@link PaymentService}: `PAYMENT_TIMEOUT_MS` per attempt, 3 attempts 50 ms then
 * 100 ms apart (jittered), a breaker opening after 5 failures in a row and probing again after 10 s.
 */
export function paymentPolicy(config: OrdersConfig): ResilienceModuleOptions {
  return {
    policies: {
      [PAYMENT_POLICY]: {
        timeout: { ms: config.paymentTimeoutMs },
        retry: { maxAttempts: 3, backoff: { initialDelay: 50, maxDelay: 500 } },
        circuitBreaker: { consecutiveFailures: 5, halfOpenAfter: 10_000 },
      },
    },
  };
}
