import { COMPLETE_EXAMPLE_MARKER, extractReadmeExamples, typeCheckReadmeExamples } from '@nestmesh/testing';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fence = '```';

/** A README with a good complete example, a broken one, and an unmarked broken snippet (which is not checked). */
const readme = [
  '# demo', //                                                         line 1
  '',
  COMPLETE_EXAMPLE_MARKER,
  `${fence}ts`,
  "import { Module } from '@nestjs/common';", //                       line 5
  "import { isPort } from '@nestmesh/common';",
  '@Module({})',
  'export class AppModule {}',
  'export const ok: boolean = isPort(3000);',
  fence, //                                                            line 10
  'A snippet, not marked:',
  `${fence}ts`,
  'const notChecked: number = "text";',
  fence,
  COMPLETE_EXAMPLE_MARKER, //                                          line 15
  `${fence}ts`,
  "import { withTimeout } from '@nestmesh/common';",
  '',
  "export const late: Promise<number> = withTimeout(Promise.resolve('a string'), 10, () => 0);", // line 19
  fence,
  '',
].join('\n');

describe('typeCheckReadmeExamples (the check behind every package README test)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestmesh-readme-spec-'));
    await writeFile(join(dir, 'README.md'), readme);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes only the ```ts blocks right after the marker, with the README line of their first line', () => {
    const { examples, errors } = extractReadmeExamples(readme, 'README.md');
    expect(errors).toEqual([]);
    expect(examples.map((example) => example.line)).toEqual([5, 17]);
    expect(examples[0].code).toContain('export class AppModule {}');
  });

  it('reports a marker that is not followed by a ```ts fence, instead of skipping the example', () => {
    const { examples, errors } = extractReadmeExamples(`text\n${COMPLETE_EXAMPLE_MARKER}\n${fence}bash\nnpm test\n${fence}\n`, 'X.md');
    expect(examples).toEqual([]);
    expect(errors).toEqual(['X.md:2:1 the marker must be followed on the next line by a ```ts fence, got "```bash"']);
  });

  it('fails on an example that does not compile, naming the README line, and passes the one that does', async () => {
    const { examples, errors } = await typeCheckReadmeExamples(['README.md'], { cwd: dir });
    expect(examples).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^README\.md:19:\d+ error TS2322: Type 'Promise<string \| number>' is not assignable to type 'Promise<number>'/);
  }, 120_000);
});
