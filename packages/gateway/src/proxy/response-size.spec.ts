import { countedSizeError, declaredSizeError } from './response-size.js';
import { upstreamFailure } from '../pipeline/failure-problem.js';

describe('the response size rule (maxResponseSize)', () => {
  it('refuses a declared length over the limit, as a 502 naming no upstream detail', () => {
    const error = declaredSizeError(200, 1_001, 1_000);
    expect(error?.message).toBe('content-length 1001');
    expect(upstreamFailure(error)).toEqual({ status: 502, detail: 'The upstream answer is larger than this gateway accepts.' });
  });

  it('takes a length up to the limit, or none', () => {
    expect(declaredSizeError(200, 1_000, 1_000)).toBeUndefined();
    expect(declaredSizeError(200, undefined, 1_000)).toBeUndefined();
  });

  it.each([101, 204, 304])('never measures the Content-Length of a bodiless %i answer (there is no body)', (status) => {
    expect(declaredSizeError(status, 1_000_000, 1_000)).toBeUndefined();
  });

  it('cuts a counted body once past the limit, not at it', () => {
    expect(countedSizeError(1_000, 1_000)).toBeUndefined();
    const error = countedSizeError(1_001, 1_000);
    expect(error?.message).toBe('response body over the limit');
    expect(upstreamFailure(error).status).toBe(502);
  });
});
