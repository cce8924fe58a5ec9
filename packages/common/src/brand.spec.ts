import { brandGuard, hasBrand } from './brand.js';

describe('hasBrand / brandGuard', () => {
  const BRAND = Symbol.for('nestmesh:test:BrandedError');
  class BrandedError extends Error {
    readonly [BRAND] = true;
  }
  const isBrandedError = brandGuard<BrandedError>(BRAND);

  it('recognises an error carrying the brand, also one made by another copy of the class (same registered symbol)', () => {
    const SAME_BRAND = Symbol.for('nestmesh:test:BrandedError');
    class CopyOfBrandedError extends Error {
      readonly [SAME_BRAND] = true;
    }
    expect(isBrandedError(new BrandedError('x'))).toBe(true);
    expect(isBrandedError(new CopyOfBrandedError('x'))).toBe(true);
    expect(hasBrand(new CopyOfBrandedError('x'), BRAND)).toBe(true);
  });

  it.each([new Error('plain'), { [BRAND]: 'yes' }, null, undefined, 'BrandedError', 42])('refuses %p', (value) => {
    expect(isBrandedError(value)).toBe(false);
    expect(hasBrand(value, BRAND)).toBe(false);
  });
});
