import { typeCheckReadmeExamples } from '@nestmesh/testing';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../../', import.meta.url));

describe('the README of @nestmesh/common', () => {
  it('has complete examples, and each one compiles against the built packages (tsc, nodenext, strict)', async () => {
    const { examples, errors } = await typeCheckReadmeExamples(['README.md'], { cwd: pkg });
    expect(examples.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
