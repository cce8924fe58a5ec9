import { AmbiguousFramingError, type AmbiguousFramingReason } from '../errors/ambiguous-framing.error.js';
import { messages } from '../errors/messages.constants.js';

const refuse = (reason: AmbiguousFramingReason, detail: string): never => {
  throw new AmbiguousFramingError(messages.ambiguousFraming(reason, detail), reason);
};

/**
 * Refuses a request whose body framing is ambiguous (RFC 9112 §6.3), from `req.rawHeaders` (Node's `headers`
 * object merges repeated fields, hiding exactly what matters here): `Content-Length` beside
 * `Transfer-Encoding`; several `Content-Length` values that differ, or one that is not digits; a
 * `Transfer-Encoding` other than a lone `chunked`; a repeated `Host` (RFC 9112 §3.2) or
 * `Authorization` (of which Node keeps only the first). Node's own parser refuses most of these
 * already; this keeps the rule where the gateway can see and test it (and holds with `insecureHTTPParser`).
 */
export function assertUnambiguousFraming(rawHeaders: readonly string[]): void {
  let lengths: string[] | undefined;
  let codings: string[] | undefined;
  let single: string | undefined; // the Host and Authorization seen: Node keeps the first, a proxy in front may read the last
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const raw = rawHeaders[index];
    // Only names as long as the fields looked at are lowercased: no string is made for the others.
    if (raw.length !== 14 && raw.length !== 17 && raw.length !== 4 && raw.length !== 13) continue;
    const name = raw.toLowerCase();
    if (name === 'host' || name === 'authorization') {
      if (single?.includes(name)) refuse('repeated-header', `more than one ${raw} header`);
      single = `${single ?? ''} ${name}`;
    } else if (name === 'content-length') (lengths ??= []).push(...rawHeaders[index + 1].split(',').map((value) => value.trim()));
    else if (name === 'transfer-encoding') (codings ??= []).push(...rawHeaders[index + 1].split(',').map((value) => value.trim().toLowerCase()));
  }
  if (lengths === undefined && codings === undefined) return;
  lengths ??= [];
  codings ??= [];
  if (lengths.length > 0 && codings.length > 0) refuse('content-length-with-transfer-encoding', `Content-Length ${lengths.join(', ')} with Transfer-Encoding ${codings.join(', ')}`);
  if (lengths.some((value) => !/^\d{1,15}$/.test(value))) refuse('invalid-content-length', `Content-Length ${JSON.stringify(lengths.join(', '))}`);
  if (new Set(lengths.map(Number)).size > 1) refuse('conflicting-content-length', `Content-Length ${lengths.join(', ')}`);
  // Only a lone chunked: Node decodes no other coding, so `gzip, chunked` would reach the upstream as a plain body.
  if (codings.length > 0 && (codings.length > 1 || codings[0] !== 'chunked')) {
    refuse('invalid-transfer-encoding', `Transfer-Encoding ${JSON.stringify(codings.join(', '))}`);
  }
}
