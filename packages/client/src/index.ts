// Module and clients
export { ServiceClientModule } from './service-client.module.js';
export type { ServiceClientModuleExtras } from './service-client.module-definition.js';
export { ServiceClient } from './service-client.js';
export { ServiceClients } from './service-clients.js';
export {
  InjectServiceClient,
  InjectServiceClientProxy,
  getServiceClientProxyToken,
  getServiceClientToken,
} from './decorators/inject-service-client.decorator.js';
export { ServiceClientProxy } from './microservices/service-client.proxy.js';
export { PropagationInterceptor } from './context/propagation.interceptor.js';
export { runWithPropagatedContext, type PropagatedContext } from './context/request-context.js';
export { DEADLINE_HEADER, DEFAULT_PROPAGATED_HEADERS, IDEMPOTENT_METHODS } from './service-client.constants.js';

// Strategies
export type { BalancedEndpoint, LoadBalancingStrategy, PickContext } from './strategies/load-balancing-strategy.interface.js';
export { RoundRobinStrategy } from './strategies/round-robin.strategy.js';
export { RandomStrategy } from './strategies/random.strategy.js';
export { WeightedStrategy } from './strategies/weighted.strategy.js';
export { LeastRequestStrategy } from './strategies/least-request.strategy.js';
export { P2cEwmaStrategy } from './strategies/p2c-ewma.strategy.js';
export { ConsistentHashStrategy } from './strategies/consistent-hash.strategy.js';

// Options and types
export type { ServiceClientModuleOptions } from './interfaces/service-client-module-options.interface.js';
export type { LoadBalancingStrategyName, ServiceClientOptions, StrategyOption } from './interfaces/service-client-options.interface.js';
export type { OutlierDetectionOptions } from './interfaces/outlier-detection-options.interface.js';
export type { RetryBudgetOptions } from './interfaces/retry-budget-options.interface.js';
export type { PoolOptions } from './interfaces/pool-options.interface.js';
export type { ServiceRequest, ServiceRequestBody, ServiceRequestOptions } from './interfaces/service-request.interface.js';
export type { ServiceResponse } from './interfaces/service-response.interface.js';

// Errors
export { ServiceClientError, type ServiceCallDetails } from './errors/service-client.error.js';
export { NoInstancesError, isNoInstancesError } from './errors/no-instances.error.js';
export { AllInstancesEjectedError, isAllInstancesEjectedError } from './errors/all-instances-ejected.error.js';
export { ServiceTimeoutError, isServiceTimeoutError } from './errors/service-timeout.error.js';
export { RetryBudgetExhaustedError, isRetryBudgetExhaustedError } from './errors/retry-budget-exhausted.error.js';
export { ServiceCircuitOpenError, isServiceCircuitOpenError } from './errors/service-circuit-open.error.js';
export { UpstreamUnreachableError, isUpstreamUnreachableError } from './errors/upstream-unreachable.error.js';
export { ServiceClientConfigurationError, isServiceClientConfigurationError } from './errors/service-client-configuration.error.js';
export { ReplyTooLargeError, isReplyTooLargeError } from './errors/reply-too-large.error.js';

/** @internal Unknown-key check of one service's client options, for the gateway (not a public API). */
export { findUnknownServiceOption } from './options/option-keys.js';
