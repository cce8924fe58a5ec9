import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The code spans (`like this`) of a markdown text, fenced blocks excluded. */
function codeSpans(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]);
}

function namedIn(spans: readonly string[], name: string): boolean {
  const word = new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`);
  return spans.some((span) => word.test(span));
}

/**
 * The options a package's README does not document: every key of every interface exported from its
 * `src/interfaces/*options*.interface.ts` and `*route*.interface.ts` files must appear in a code span of its README
 * (`` `deadline` ``, `` `pool.connections` ``, `` `{ address, port }` ``...). Returns `Interface.key` for each one
 * missing; empty when all are there.
 *
 * @example
 * expect(await undocumentedOptions('packages/client')).toEqual([]);
 */
export async function undocumentedOptions(packageDir: string): Promise<string[]> {
  const spans = codeSpans(await readFile(join(packageDir, 'README.md'), 'utf8'));
  const interfaces = join(packageDir, 'src/interfaces');
  const files = (await readdir(interfaces)).filter((file) => /(options|route).*\.interface\.ts$/.test(file)).sort();
  const missing: string[] = [];
  for (const file of files) {
    const source = await readFile(join(interfaces, file), 'utf8');
    for (const [, name, body] of source.matchAll(/^export interface (\w+)[^{]*\{([\s\S]*?)^\}/gm)) {
      for (const [, key] of body.matchAll(/^ {2}(?:readonly )?(\w+)\??:/gm)) {
        if (!namedIn(spans, key)) missing.push(`${name}.${key}`);
      }
    }
  }
  return missing;
}

/**
 * The error classes a package exports (`export { XxxError ...` in `src/index.ts`) that its README's `## Errors`
 * section does not name in a code span. Empty when all are there.
 *
 * @example
 * expect(await undocumentedErrors('packages/gateway')).toEqual([]);
 */
export async function undocumentedErrors(packageDir: string): Promise<string[]> {
  const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
  const index = await readFile(join(packageDir, 'src/index.ts'), 'utf8');
  const section = /^## Errors[^\n]*\n([\s\S]*?)(?=^#{1,2} |(?![\s\S]))/m.exec(readme)?.[1] ?? '';
  const spans = codeSpans(section);
  const exported = [...index.matchAll(/^export \{([^}]*)\}/gm)]
    .flatMap((match) => match[1].split(','))
    .map((name) => name.trim())
    .filter((name) => /^[A-Z]\w*Error$/.test(name));
  return exported.filter((name) => !namedIn(spans, name));
}
