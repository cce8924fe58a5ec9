import type { ThrottlerStorage } from '@nestjs/throttler';

/**
 * `@nestjs/throttler`'s `ThrottlerStorageRecord`, taken from its `ThrottlerStorage` interface: the package does
 * not export it from its root, and Nest is imported only from package roots. @internal
 */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;
