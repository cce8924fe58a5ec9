import { undocumentedErrors, undocumentedOptions } from '@nestmesh/testing';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fence = '```';

describe('undocumentedOptions / undocumentedErrors (what a package README test asks of its README)', () => {
  let pkg: string;
  beforeAll(async () => {
    pkg = await mkdtemp(join(tmpdir(), 'nestmesh-readme-coverage-'));
    await mkdir(join(pkg, 'src/interfaces'), { recursive: true });
    await writeFile(
      join(pkg, 'src/interfaces/pool-options.interface.ts'),
      [
        'export interface PoolOptions {',
        '  /** Documented. */',
        '  connections?: number;',
        '  readonly keepAlive?: number;',
        '  nested?: {',
        '    inner: number;',
        '  };',
        '}',
        '',
      ].join('\n'),
    );
    // Not an options file: its keys are not asked for.
    await writeFile(join(pkg, 'src/interfaces/instance.interface.ts'), 'export interface Instance {\n  id: string;\n}\n');
    await writeFile(
      join(pkg, 'src/index.ts'),
      [
        "export { PoolFullError, isPoolFullError } from './errors/pool-full.error.js';",
        "export { PoolConfigurationError, isPoolConfigurationError, type PoolReason } from './errors/pool-configuration.error.js';",
        "export { ForgottenError } from './errors/forgotten.error.js';",
        "export type { PoolOptions } from './interfaces/pool-options.interface.js';",
        '',
      ].join('\n'),
    );
    await writeFile(
      join(pkg, 'README.md'),
      [
        '# pool',
        '| option | default |',
        '| `connections` | `10` |',
        '| `nested` | none |',
        `${fence}ts`,
        'const keepAlive = 1; // a name in a code block does not document it',
        fence,
        '## Errors',
        '| `PoolFullError` | 503 |',
        '| `PoolConfigurationError` | bootstrap |',
        '## License',
        'The `ForgottenError` named outside the Errors section does not count.',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await rm(pkg, { recursive: true, force: true });
  });

  it('lists the option keys that no code span of the README names, as Interface.key', async () => {
    expect(await undocumentedOptions(pkg)).toEqual(['PoolOptions.keepAlive']);
  });

  it('lists the exported error classes that the Errors section does not name', async () => {
    expect(await undocumentedErrors(pkg)).toEqual(['ForgottenError']);
  });
});
