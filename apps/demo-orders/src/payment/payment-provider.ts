import { Inject, Injectable } from '@nestjs/common';
import type { OrdersConfig } from '../config/orders-config.js';
import { ORDERS_CONFIG } from '../orders.constants.js';
import { PaymentProviderError } from './payment-provider.error.js';

/**
 * A simulated remote payment provider: each call takes `PAYMENT_LATENCY_MS` and fails for
 * `PAYMENT_FAILURE_RATE` of the calls (`0`: never, `1`: always). It honours the caller's `AbortSignal`, as a
 * real HTTP call would, so a `@Timeout` ends it.
 */
@Injectable()
export class PaymentProvider {
  constructor(@Inject(ORDERS_CONFIG) private readonly config: OrdersConfig) {}

  /** Charges for `quantity` of `item`; rejects with {@link PaymentProviderError} when the provider fails. */
  async charge(item: string, quantity: number, signal?: AbortSignal): Promise<void> {
    const { paymentLatencyMs, paymentFailureRate } = this.config;
    if (paymentLatencyMs > 0) await delay(paymentLatencyMs, signal);
    // Math.random() is in [0, 1): a rate of 0 never fails, a rate of 1 always does.
    if (Math.random() < paymentFailureRate) throw new PaymentProviderError(paymentFailureRate);
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
