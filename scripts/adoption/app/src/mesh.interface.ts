import type { Type } from '@nestjs/common';

/** What main.ts boots and checks beyond AppModule: see mesh.ts. */
export interface Mesh {
  /** The module main.ts boots. */
  readonly root: Type<unknown>;
  /** The @nestmesh packages the app loads, for the OK line. */
  readonly packages: string;
  /** More HTTP checks, once AppModule's passed; `port` is the app's. */
  check(base: string, port: number): Promise<void>;
  /** Runs after app.close(). */
  close(): void;
}
