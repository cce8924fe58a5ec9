import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';

/**
 * @nestjs/throttler's guard with the IETF `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
 * headers (draft-ietf-httpapi-ratelimit-headers) instead of `X-RateLimit-*`, on every answer, the 429 included:
 * the stock guard sends only `Retry-After` with a 429, leaving clients to guess the limit they hit.
 * Named throttlers keep throttler's `-<name>` suffix on allowed answers; a 429 describes the limit that refused.
 *
 * @example
 * providers: [{ provide: APP_GUARD, useClass: GatewayThrottlerGuard }]
 */
@Injectable()
export class GatewayThrottlerGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, `${this.headerPrefix}-Limit`, detail.limit);
    this.setResponseHeader(res, `${this.headerPrefix}-Remaining`, 0);
    this.setResponseHeader(res, `${this.headerPrefix}-Reset`, Math.max(0, detail.timeToBlockExpire));
    await super.throwThrottlingException(context, detail);
  }
}
