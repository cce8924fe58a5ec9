import { isNumberIn, MAX_TIMER_MS } from '@nestmesh/common';
import type { JSONWebKeySet } from 'jose';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import { findUnknownJwtOption } from '../options/option-keys.js';
import type { JwksFetchOptions, JwtVerifierOptions } from './jwt-verifier.options.js';

const ASYMMETRIC = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);
const HMAC = new Set(['HS256', 'HS384', 'HS512']);

/** The key source of a verifier. @internal */
export type KeySource = { kind: 'remote'; url: URL; fetch: Required<JwksFetchOptions> } | { kind: 'jwks'; jwks: JSONWebKeySet } | { kind: 'secret'; secret: Uint8Array };

/** {@link JwtVerifierOptions} validated, with defaults. @internal */
export type ResolvedJwtVerifierOptions = ReturnType<typeof resolveJwtVerifierOptions>;

const fail = (detail: string): never => {
  throw new GatewayConfigurationError(messages.invalidJwtOptions(detail));
};

function positive(value: number | undefined, option: string, fallback: number, allowZero = false, max = Number.POSITIVE_INFINITY): number {
  const result = value ?? fallback;
  if (!isNumberIn(result, { min: 0, max, exclusiveMin: !allowZero })) {
    fail(`invalid ${option} ${JSON.stringify(value)}. Use a number ${allowZero ? '>= 0' : '> 0'}${max === Number.POSITIVE_INFINITY ? '' : ` and <= ${max}`}.`);
  }
  return result;
}

function stringsOrUndefined(value: unknown, option: string): string | string[] | undefined {
  const valid = value === undefined || (typeof value === 'string' && value.length > 0) || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0));
  if (!valid) fail(`invalid ${option} ${JSON.stringify(value)}. Use a non-empty string or array of strings, or leave it unset.`);
  return value as string | string[] | undefined;
}

function resolveSource(options: JwtVerifierOptions): KeySource {
  const given = (['jwksUrl', 'jwks', 'secret'] as const).filter((key) => options[key] !== undefined);
  if (given.length !== 1) fail(`give exactly one key source among jwksUrl, jwks and secret (got ${given.length ? given.join(', ') : 'none'}).`);
  if (options.secret !== undefined) {
    const secret = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
    if (!(secret instanceof Uint8Array) || secret.byteLength < 32) fail('the HMAC secret must be a string or Uint8Array of at least 32 bytes.');
    return { kind: 'secret', secret };
  }
  if (options.jwks !== undefined) {
    const keys = (options.jwks as { keys?: unknown })?.keys;
    if (!Array.isArray(keys) || keys.length === 0) fail(`invalid jwks ${JSON.stringify(options.jwks)?.slice(0, 200)}. Use a JWKS document: { keys: [{ kty, kid, ... }] }.`);
    if ((keys as Array<{ kty?: unknown }>).some((key) => key?.kty === 'oct')) fail('jwks holds a symmetric ("oct") key. Give HMAC secrets through the secret option, never beside public keys.');
    return { kind: 'jwks', jwks: options.jwks };
  }
  const url = URL.parse(String(options.jwksUrl));
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) fail(`invalid jwksUrl ${JSON.stringify(String(options.jwksUrl))}. Use an http(s) URL, e.g. https://idp.example.com/.well-known/jwks.json.`);
  const fetch = options.jwksFetch ?? {};
  return {
    kind: 'remote',
    url: url!,
    fetch: {
      cacheMaxAge: positive(fetch.cacheMaxAge, 'jwksFetch.cacheMaxAge', 600_000),
      cooldown: positive(fetch.cooldown, 'jwksFetch.cooldown', 30_000, true),
      timeout: positive(fetch.timeout, 'jwksFetch.timeout', 5_000, false, MAX_TIMER_MS), // a timer's bound
      maxBytes: positive(fetch.maxBytes, 'jwksFetch.maxBytes', 1_048_576),
    },
  };
}

/** Validates verifier options, naming the option, the value and the fix. @internal */
export function resolveJwtVerifierOptions(options: JwtVerifierOptions) {
  if (typeof options !== 'object' || options === null) fail(`invalid options ${JSON.stringify(options)}. Pass { jwksUrl } or { jwks } or { secret }.`);
  const unknown = findUnknownJwtOption(options);
  if (unknown) throw new GatewayConfigurationError(messages.unknownOption('JwtVerifier', unknown.path, unknown.suggestion, unknown.known));
  const source = resolveSource(options);
  const algorithms: string[] = options.algorithms ?? (source.kind === 'secret' ? ['HS256'] : ['RS256']);
  if (!Array.isArray(algorithms) || algorithms.length === 0) fail(`invalid algorithms ${JSON.stringify(options.algorithms)}. List the accepted ones, e.g. ['RS256'].`);
  for (const algorithm of algorithms) {
    if (String(algorithm).toLowerCase() === 'none') fail('algorithms must never include "none": unsigned tokens prove nothing.');
    if (!ASYMMETRIC.has(algorithm) && !HMAC.has(algorithm)) fail(`unknown algorithm ${JSON.stringify(algorithm)}. Use one of ${[...ASYMMETRIC, ...HMAC].join(', ')}.`);
    if (source.kind === 'secret' && !HMAC.has(algorithm)) fail(`algorithm ${algorithm} needs public keys, but only an HMAC secret is configured. Use HS256/HS384/HS512 with a secret.`);
    if (source.kind !== 'secret' && HMAC.has(algorithm)) {
      fail(`algorithm ${algorithm} with public keys would let anyone sign with the public key as an HMAC secret. Use asymmetric algorithms (e.g. RS256) with keys.`);
    }
  }
  const cache = options.cache === false ? { maxEntries: 0, maxAge: 0 } : (options.cache ?? {});
  return {
    source,
    algorithms,
    issuer: stringsOrUndefined(options.issuer, 'issuer'),
    audience: stringsOrUndefined(options.audience, 'audience'),
    clockTolerance: positive(options.clockTolerance, 'clockTolerance', 5, true),
    rolesClaim: options.rolesClaim ?? 'roles',
    maxTokenLength: positive(options.maxTokenLength, 'maxTokenLength', 8_192),
    cache: {
      maxEntries: positive(cache.maxEntries, 'cache.maxEntries', 10_000, true),
      maxAge: positive(cache.maxAge, 'cache.maxAge', 60_000, true),
    },
    realm: options.realm ?? 'api',
  };
}
