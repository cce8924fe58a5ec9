// The apps whose Nest the peers of @nestmesh/client and @nestmesh/gateway exclude (Nest 11) boot AppModule alone.
// The apps that install those packages replace this file with scripts/adoption/app-mesh/src/mesh.ts.
import { AppModule } from './app.module.js';
import type { Mesh } from './mesh.interface.js';

export async function startMesh(): Promise<Mesh> {
  return { root: AppModule, packages: '@nestmesh/discovery, @nestmesh/resilience', check: async () => undefined, close: () => undefined };
}
