import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';

/** The line that marks the fenced ```ts block right after it as a complete example that must compile. */
export const COMPLETE_EXAMPLE_MARKER = '<!-- complete example: type-checked by the tests -->';

/** A complete example found in a README. */
export interface ReadmeExample {
  /** The README it comes from. */
  readme: string;
  /** 1-based line of the README where the code starts (the line after the opening fence). */
  line: number;
  code: string;
}

/** The outcome of {@link typeCheckReadmeExamples}. */
export interface ReadmeTypeCheck {
  examples: ReadmeExample[];
  /** One line per problem, as `<readme>:<line>:<column> <message>`; empty when every example compiles. */
  errors: string[];
}

/**
 * The complete examples of a README: every fenced ```ts block whose opening fence comes right after a line holding
 * {@link COMPLETE_EXAMPLE_MARKER}. A marker followed by anything else is reported, so an example cannot drop out of
 * the check unnoticed.
 */
export function extractReadmeExamples(markdown: string, readme: string): { examples: ReadmeExample[]; errors: string[] } {
  const lines = markdown.split('\n');
  const examples: ReadmeExample[] = [];
  const errors: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (lines[index].trim() !== COMPLETE_EXAMPLE_MARKER) continue;
    if (lines[index + 1]?.trim() !== '```ts') {
      errors.push(`${readme}:${index + 1}:1 the marker must be followed on the next line by a \`\`\`ts fence, got ${JSON.stringify(lines[index + 1] ?? '(end of file)')}`);
      continue;
    }
    const end = lines.findIndex((text, at) => at > index + 1 && text.trim() === '```');
    if (end < 0) {
      errors.push(`${readme}:${index + 2}:1 the example's \`\`\`ts fence is never closed`);
      break;
    }
    examples.push({ readme, line: index + 3, code: lines.slice(index + 2, end).join('\n') + '\n' });
    index = end;
  }
  return { examples, errors };
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/**
 * Type-checks the complete examples of `readmes` as a user's ESM NestJS app would compile them (`module: nodenext`,
 * strict, decorators with metadata), against the packages as built (`@nestmesh/*` resolve to their `dist` through
 * the workspace's node_modules), with one `tsc` run. Each example is a module of its own. Errors are mapped back to
 * the README line they come from.
 *
 * @example
 * const { examples, errors } = await typeCheckReadmeExamples(['packages/discovery/README.md']);
 * expect(errors).toEqual([]);
 */
export async function typeCheckReadmeExamples(readmes: string[], options: { cwd?: string } = {}): Promise<ReadmeTypeCheck> {
  const cwd = options.cwd ?? process.cwd();
  const examples: ReadmeExample[] = [];
  const errors: string[] = [];
  for (const readme of readmes) {
    const found = extractReadmeExamples(await readFile(join(cwd, readme), 'utf8'), readme);
    examples.push(...found.examples);
    errors.push(...found.errors);
  }
  if (examples.length === 0) return { examples, errors };

  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const nodeModules = dirname(dirname(dirname(tsc)));
  const dir = await mkdtemp(join(tmpdir(), 'nestmesh-readme-'));
  try {
    await symlink(nodeModules, join(dir, 'node_modules'), 'dir');
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    const files = examples.map((_, index) => `example-${index + 1}.ts`);
    await Promise.all(examples.map((example, index) => writeFile(join(dir, files[index]), example.code)));
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        },
        files,
      }),
    );
    const { code, output } = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], dir);
    for (const text of output.split('\n').filter((line) => line.trim() !== '')) {
      if (/^\s/.test(text) && errors.length > 0) {
        errors[errors.length - 1] += ` ${text.trim()}`; // the rest of a multi-line message
        continue;
      }
      const located = /^example-(\d+)\.ts\((\d+),(\d+)\): (.*)$/.exec(text);
      if (!located) {
        errors.push(text);
        continue;
      }
      const example = examples[Number(located[1]) - 1];
      errors.push(`${example.readme}:${example.line + Number(located[2]) - 1}:${located[3]} ${located[4]}`);
    }
    if (code !== 0 && errors.length === 0) errors.push(`tsc exited with ${code} in ${basename(dir)} (${relative(cwd, dir)}) and printed nothing`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { examples, errors };
}
