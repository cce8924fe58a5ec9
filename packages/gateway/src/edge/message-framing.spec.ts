import { isAmbiguousFramingError } from '../errors/ambiguous-framing.error.js';
import { assertUnambiguousFraming } from './message-framing.js';

const reasonOf = (rawHeaders: string[]) => {
  try {
    assertUnambiguousFraming(rawHeaders);
  } catch (error) {
    if (isAmbiguousFramingError(error)) return error.reason;
    throw error;
  }
  return 'accepted';
};

describe('assertUnambiguousFraming', () => {
  it.each([
    [['Host', 'a', 'Content-Length', '12']],
    [['Transfer-Encoding', 'chunked']],
    [['Transfer-Encoding', ' Chunked ']],
    [['Content-Length', '5', 'content-length', '5']],
    [['Host', 'a']],
  ])('accepts %p', (raw) => expect(reasonOf(raw)).toBe('accepted'));

  it.each([
    [['Content-Length', '5', 'Transfer-Encoding', 'chunked'], 'content-length-with-transfer-encoding'],
    [['transfer-encoding', 'chunked', 'CONTENT-LENGTH', '0'], 'content-length-with-transfer-encoding'],
    [['Content-Length', '5', 'Content-Length', '6'], 'conflicting-content-length'],
    [['Content-Length', '5, 6'], 'conflicting-content-length'],
    [['Content-Length', '-1'], 'invalid-content-length'],
    [['Content-Length', '0x10'], 'invalid-content-length'],
    [['Content-Length', ''], 'invalid-content-length'],
    [['Transfer-Encoding', 'chunked, gzip'], 'invalid-transfer-encoding'],
    [['Transfer-Encoding', 'gzip, chunked'], 'invalid-transfer-encoding'], // Node undoes the chunks only
    [['Transfer-Encoding', 'xchunked'], 'invalid-transfer-encoding'],
    [['Transfer-Encoding', 'chunked', 'Transfer-Encoding', 'chunked'], 'invalid-transfer-encoding'],
    [['Transfer-Encoding', 'identity'], 'invalid-transfer-encoding'],
  ])('refuses %p (%s)', (raw, reason) => expect(reasonOf(raw)).toBe(reason));
});
