// HTTP checks of the adoption app: a failed check throws a CheckFailure, which main.ts reports and exits 1 on.

/** A check that did not hold; its message says what was expected and what came back. */
export class CheckFailure extends Error {}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

export function check(condition: boolean, message: string): void {
  if (!condition) throw new CheckFailure(message);
}

export async function get(base: string, path: string): Promise<Answer> {
  const response = await fetch(base + path, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the failure message
  }
  return { status: response.status, headers: response.headers, body };
}

export function expectStatus(what: string, actual: Answer, status: number): void {
  check(actual.status === status, `${what}: expected HTTP ${status}, got ${actual.status} ${JSON.stringify(actual.body)}`);
}

/** The status, and a JSON body equal to `body` (same keys in the same order). */
export function expectJson(what: string, actual: Answer, status: number, body: unknown): void {
  expectStatus(what, actual, status);
  check(JSON.stringify(actual.body) === JSON.stringify(body), `${what}: expected ${JSON.stringify(body)}, got ${JSON.stringify(actual.body)}`);
}
