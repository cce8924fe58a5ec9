import type { ThrottlerStorage } from '@nestjs/throttler';

/**
 * `@nestjs/throttler`'s `ThrottlerStorageRecord` (what `ThrottlerStorage.increment()` resolves to: `totalHits`,
 * `timeToExpire`, `isBlocked`, `timeToBlockExpire`), taken from its `ThrottlerStorage` interface: the package
 * declares it but does not export it from its root, and Nest is imported only from package roots. @internal
 */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;
