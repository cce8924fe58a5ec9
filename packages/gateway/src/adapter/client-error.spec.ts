import { clientErrorProblem } from './client-error.js';

const parserError = (code: string) => Object.assign(new Error('Parse Error'), { code });

describe('clientErrorProblem', () => {
  it('chooses the status as Node does: 431, 413, 408, else 400 for parse errors; always closing', () => {
    expect(clientErrorProblem(parserError('HPE_HEADER_OVERFLOW'))).toMatchObject({ status: 431, close: true });
    expect(clientErrorProblem(parserError('HPE_CHUNK_EXTENSIONS_OVERFLOW'))).toMatchObject({ status: 413, close: true });
    expect(clientErrorProblem(parserError('ERR_HTTP_REQUEST_TIMEOUT'))).toMatchObject({ status: 408, close: true });
    expect(clientErrorProblem(parserError('HPE_UNEXPECTED_CONTENT_LENGTH'))).toMatchObject({ status: 400, detail: 'The request body framing is ambiguous.' });
    expect(clientErrorProblem(parserError('HPE_INVALID_METHOD'))).toMatchObject({ status: 400, detail: 'The request is not valid HTTP/1.1.' });
  });

  it('answers nothing for a connection that failed (reset, aborted): there is no request to answer', () => {
    expect(clientErrorProblem(parserError('ECONNRESET'))).toBeUndefined();
    expect(clientErrorProblem(new Error('no code'))).toBeUndefined();
  });
});
