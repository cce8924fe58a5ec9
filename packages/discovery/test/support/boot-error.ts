import type { Type } from '@nestjs/common';
import { bootNestApp } from '@nestmesh/testing';

/** Boots `module` as a real app and returns the error its bootstrap (`listen()`) failed with. */
export async function bootError(module: Type<unknown>): Promise<Error> {
  const result = await bootNestApp(module).then(
    async (booted) => {
      await booted.close();
      return undefined;
    },
    (error: Error) => error,
  );
  if (!result) throw new Error('expected the bootstrap to fail, but it succeeded');
  return result;
}
