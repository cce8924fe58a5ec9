// Lets plain `node` run TypeScript files with decorators and decorator metadata (through @swc/core),
// for benchmarks and for fixture apps that tests start as real processes:
//   node --import ./scripts/ts-register.js packages/discovery/bench/propagation.bench.ts
import { register } from 'node:module';

register('./ts-hooks.js', import.meta.url);
