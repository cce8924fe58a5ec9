import type { Provider, Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { ResilienceModule, type ResilienceModuleOptions } from '@nestmesh/resilience';

/** Compiles a testing module with ResilienceModule (quiet by default) and the given providers. */
export async function compile(
  providers: Provider[],
  options: ResilienceModuleOptions = { logEvents: false },
  controllers: Type<unknown>[] = [],
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: [ResilienceModule.forRoot(options)], providers, controllers })
    .setLogger({ log() {}, error() {}, warn() {}, debug() {}, verbose() {}, fatal() {} })
    .compile();
  await moduleRef.init();
  return moduleRef;
}

/** Settles a promise without throwing, for assertions on both outcomes. */
export async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}
