import { typeCheckReadmeExamples, undocumentedErrors, undocumentedOptions } from '@nestmesh/testing';
import { fileURLToPath } from 'node:url';

/** Where a published package lives. */
const packageDir = (name: string) => fileURLToPath(new URL(`../../../../packages/${name}/`, import.meta.url));

describe.each(['common', 'discovery', 'resilience', 'client', 'gateway'])('the README of @nestmesh/%s', (name) => {
  it('has complete examples, and each one compiles against the built packages (tsc, nodenext, strict)', async () => {
    const { examples, errors } = await typeCheckReadmeExamples(['README.md'], { cwd: packageDir(name) });
    expect(examples.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  }, 120_000);
});

// common has no options interfaces and throws no errors of its own.
describe.each(['discovery', 'resilience', 'client', 'gateway'])('the reference in the README of @nestmesh/%s', (name) => {
  it('names every option of the options interfaces (src/interfaces)', async () => {
    expect(await undocumentedOptions(packageDir(name))).toEqual([]);
  });

  it('names every exported error class in its Errors section', async () => {
    expect(await undocumentedErrors(packageDir(name))).toEqual([]);
  });
});
