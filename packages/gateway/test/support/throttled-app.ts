import { Controller, Get, Module, type CanActivate, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule, type ThrottlerOptions } from '@nestjs/throttler';
import type { RedisThrottlerStorage } from '../../src/index.js';

@Controller('ping')
class PingController {
  @Get()
  ping() {
    return { pong: true };
  }
}

/** A root module with `GET /ping` behind `guard` (throttler's own by default), throttled in `storage`. */
export function throttledAppModule(storage: RedisThrottlerStorage, throttlers: ThrottlerOptions[], guard: Type<CanActivate> = ThrottlerGuard): Type<unknown> {
  @Module({
    imports: [ThrottlerModule.forRoot({ throttlers, storage })],
    controllers: [PingController],
    providers: [{ provide: APP_GUARD, useClass: guard }],
  })
  class ThrottledAppModule {}
  return ThrottledAppModule;
}
