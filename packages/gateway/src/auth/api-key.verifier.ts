import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationFailedError } from '../errors/authentication-failed.error.js';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import { findUnknownApiKeyOption } from '../options/option-keys.js';
import type { VerifiedIdentity } from './verified-identity.interface.js';

/** One API key as stored: its SHA-256, never the key itself. */
export interface ApiKeyDefinition {
  /** A name for logs and metrics (never the key). */
  id: string;
  /** `hashApiKey(key)`: the key's SHA-256 in hex (64 characters), optionally prefixed `sha256:`. */
  hash: string;
  /** Subject the key acts as. Default: `apikey:<id>`. */
  subject?: string;
  /** Scopes it grants. Default `[]`. */
  scopes?: string[];
  /** Roles it grants. Default `[]`. */
  roles?: string[];
}

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/**
 * The value to store for an API key: its SHA-256 in hex. API keys are long random strings, so a fast hash
 * is enough (a password would need a slow one); what matters is that the store never holds the key.
 *
 * @example
 * hashApiKey('sk_live_5f2b...') // 'a3c1...' (64 hex characters)
 */
export function hashApiKey(key: string): string {
  return digest(key).toString('hex');
}

/**
 * Checks presented API keys against stored hashes. The presented key is hashed, the hash found in a map,
 * and the match confirmed with `timingSafeEqual`: timing depends on the key's hash, never on how much of a
 * stored secret it matches.
 *
 * @example
 * const keys = new ApiKeyVerifier([{ id: 'partner-a', hash: process.env.PARTNER_A_KEY_SHA256!, scopes: ['orders:read'] }]);
 * const identity = keys.verify(request.headers['x-api-key']);
 */
export class ApiKeyVerifier {
  private readonly byHash = new Map<string, { digest: Buffer; identity: VerifiedIdentity }>();

  constructor(
    definitions: readonly ApiKeyDefinition[],
    private readonly maxKeyLength = 512,
  ) {
    if (!Array.isArray(definitions)) throw new GatewayConfigurationError(messages.invalidApiKeys(`expected an array of { id, hash }, got ${JSON.stringify(definitions)}.`));
    const unknown = findUnknownApiKeyOption(definitions, 'definitions');
    if (unknown) throw new GatewayConfigurationError(messages.unknownOption('ApiKeyVerifier', unknown.path, unknown.suggestion, unknown.known));
    for (const definition of definitions) {
      const hex = typeof definition?.hash === 'string' ? definition.hash.replace(/^sha256:/, '').toLowerCase() : '';
      if (typeof definition?.id !== 'string' || definition.id.length === 0 || !/^[0-9a-f]{64}$/.test(hex)) {
        throw new GatewayConfigurationError(
          messages.invalidApiKeys(`invalid key ${JSON.stringify({ id: definition?.id, hash: definition?.hash })}. Give an id and hash = hashApiKey(key), 64 hex characters.`),
        );
      }
      if (this.byHash.has(hex)) throw new GatewayConfigurationError(messages.invalidApiKeys(`key "${definition.id}" has the same hash as another key. Give each client its own key.`));
      this.byHash.set(hex, {
        digest: Buffer.from(hex, 'hex'),
        identity: {
          method: 'api-key',
          subject: definition.subject ?? `apikey:${definition.id}`,
          scopes: [...(definition.scopes ?? [])],
          roles: [...(definition.roles ?? [])],
          claims: {},
          apiKeyId: definition.id,
        },
      });
    }
  }

  /** The identity of a valid key, else an {@link AuthenticationFailedError} (401). */
  verify(presented: unknown): VerifiedIdentity {
    if (typeof presented !== 'string' || presented.length === 0) {
      throw new AuthenticationFailedError(messages.tokenRefused('missing', 'no API key'), 'missing', 'An API key is required', 'ApiKey realm="api"');
    }
    const hash = digest(presented.slice(0, this.maxKeyLength + 1));
    const entry = presented.length <= this.maxKeyLength ? this.byHash.get(hash.toString('hex')) : undefined;
    if (!entry || !timingSafeEqual(entry.digest, hash)) {
      throw new AuthenticationFailedError(messages.tokenRefused('invalid-api-key', 'unknown API key'), 'invalid-api-key', 'The API key is invalid', 'ApiKey realm="api", error="invalid_key"');
    }
    return entry.identity;
  }
}
