/**
 * Passive health (outlier ejection), per instance. Failures are connect errors, resets, timeouts and 5xx answers;
 * any other answer resets the count.
 *
 * @example
 * outlierDetection: { consecutiveFailures: 3, baseEjectionTime: 5_000, maxEjectionPercent: 50 }
 */
export interface OutlierDetectionOptions {
  /** Failures in a row that eject an instance. Integer `>= 1`. Default `5`. */
  consecutiveFailures?: number;
  /**
   * How long the first ejection lasts, in ms; the n-th ejection in a row lasts n times longer (capped by
   * `maxEjectionTime`). The multiplier goes down by one for each `baseEjectionTime` the instance stays healthy
   * after it came back. Default `10000`.
   */
  baseEjectionTime?: number;
  /** No ejection lasts longer than this, in ms. Default `300000`. */
  maxEjectionTime?: number;
  /**
   * At most this percentage of the instances are ejected at once (at least one when there are two or more).
   * `0..100`. Default `50`.
   */
  maxEjectionPercent?: number;
  /**
   * Panic mode. When no healthy instance is left because the client ejected them, `true` spreads the load over
   * the ejected instances rather than failing every call; `false` rejects such calls with
   * `AllInstancesEjectedError`. Either way, an instance the registry reports critical never gets a call (every
   * instance critical: `NoInstancesError`). Default `true`.
   */
  panicMode?: boolean;
}
