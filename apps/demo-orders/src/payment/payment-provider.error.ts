const BRAND: unique symbol = Symbol.for('nestmesh-demo:PaymentProviderError');

/** The simulated payment provider refused a charge (it does so for `PAYMENT_FAILURE_RATE` of the calls). */
export class PaymentProviderError extends Error {
  override readonly name = 'PaymentProviderError';
  /** @internal */
  readonly [BRAND] = true;

  constructor(readonly failureRate: number) {
    super(`The payment provider failed this charge (simulated: PAYMENT_FAILURE_RATE is ${failureRate}; set it to 0 for a provider that never fails).`);
  }
}

/** Whether `error` is a {@link PaymentProviderError}. */
export const isPaymentProviderError = (error: unknown): error is PaymentProviderError =>
  typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
