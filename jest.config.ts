/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

/**
 * One Jest for the whole monorepo, in native ESM mode (run it with
 * NODE_OPTIONS=--experimental-vm-modules; `npm test` does).
 *
 * - `unit` runs the `*.spec.ts` files beside the sources: fast, no process started.
 * - `e2e` runs `test/<scenario>/*.e2e-spec.ts`: real Consul agents, Redis servers and Nest apps on loopback.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
] as const;

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc as unknown as [string, Record<string, unknown>] },
  moduleNameMapper: {
    // Sources import siblings as `./x.js` (nodenext); Jest resolves the `.ts` file.
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Workspace packages are tested from source, so no build is needed first.
    '^@nestmesh/testing$': '<rootDir>/libs/testing/src/index.ts',
    '^@nestmesh/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    // Subpath exports: `@nestmesh/<pkg>/<entry>` is `packages/<pkg>/src/<entry>.ts`.
    '^@nestmesh/([a-z-]+)/([a-z-]+)$': '<rootDir>/packages/$1/src/$2.ts',
  },
  setupFiles: ['<rootDir>/jest.setup.ts'],
  testEnvironment: 'node',
  rootDir: '.',
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

const config: Config = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{packages,libs,apps}/*/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{packages,libs,apps}/*/test/**/*.e2e-spec.ts'],
      slowTestThreshold: 30,
    },
  ],
  testTimeout: 30_000,
};

export default config;
