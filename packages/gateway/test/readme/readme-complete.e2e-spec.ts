import { typeCheckReadmeExamples, undocumentedErrors, undocumentedOptions } from '@nestmesh/testing';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../../', import.meta.url));

describe('the README of @nestmesh/gateway', () => {
  it('has complete examples, and each one compiles against the built packages (tsc, nodenext, strict)', async () => {
    const { examples, errors } = await typeCheckReadmeExamples(['README.md'], { cwd: pkg });
    expect(examples.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('names every option of the options interfaces (src/interfaces)', async () => {
    expect(await undocumentedOptions(pkg)).toEqual([]);
  });

  it('names every exported error class in its Errors section', async () => {
    expect(await undocumentedErrors(pkg)).toEqual([]);
  });
});
