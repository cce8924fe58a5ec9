import { Logger } from '@nestjs/common';
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { KeySetUnavailableError } from '../errors/key-set-unavailable.error.js';
import { messages } from '../errors/messages.constants.js';
import type { JwksFetchOptions } from './jwt-verifier.options.js';

/**
 * A remote JWKS with a strict fetch budget: at most one fetch per `cooldown`, whether fetches are triggered by
 * unknown `kid`s or by a JWKS that keeps failing; concurrent needs share one fetch. Keys older than
 * `cacheMaxAge` are refreshed, and kept when the refresh fails (an IdP outage must not log everyone out).
 * Key selection and import are jose's (`createLocalJWKSet`). @internal
 */
export class JwksKeySet {
  private readonly logger = new Logger('JwtVerifier');
  private local: JWTVerifyGetKey | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly url: URL,
    private readonly settings: Required<JwksFetchOptions>,
  ) {}

  /** The key getter for jose's `jwtVerify()`. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (!this.local || Date.now() >= this.fetchedAt + this.settings.cacheMaxAge) await this.refreshWithinBudget();
    if (!this.local) throw new KeySetUnavailableError(messages.jwksUnavailable(this.url.href, 'no key set could be fetched yet'), this.url.href);
    try {
      return await this.local(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // A rotated key shows up as an unknown kid: look again, once per cooldown at most.
      if (!(await this.refreshWithinBudget())) throw error;
      return this.local(header, token);
    }
  };

  /** Waits for the fetch in flight, or starts one if the cooldown allows; true when a fetch happened. */
  private async refreshWithinBudget(): Promise<boolean> {
    if (!this.pending) {
      if (Date.now() < this.attemptedAt + this.settings.cooldown) return false;
      this.attemptedAt = Date.now();
      this.pending = this.fetch().finally(() => (this.pending = undefined));
    }
    try {
      await this.pending;
      return true;
    } catch (error) {
      if (!this.local) throw error;
      this.logger.warn(`${(error as Error).message} (keeping the keys fetched before)`);
      return false;
    }
  }

  private async fetch(): Promise<void> {
    const href = this.url.href;
    try {
      const response = await fetch(this.url, {
        redirect: 'error',
        headers: { accept: 'application/jwk-set+json, application/json' },
        signal: AbortSignal.timeout(this.settings.timeout),
      });
      const type = response.headers.get('content-type') ?? '';
      const refusal = response.status !== 200 ? `HTTP ${response.status}` : !/json/i.test(type) ? `content-type ${JSON.stringify(type)} is not JSON` : undefined;
      if (refusal) {
        await response.body?.cancel();
        throw new Error(refusal);
      }
      const bytes = await response.arrayBuffer();
      if (bytes.byteLength > this.settings.maxBytes) throw new Error(`${bytes.byteLength} bytes, more than ${this.settings.maxBytes}`);
      this.local = createLocalJWKSet(JSON.parse(Buffer.from(bytes).toString('utf8')) as JSONWebKeySet);
    } catch (error) {
      throw new KeySetUnavailableError(messages.jwksUnavailable(href, (error as Error).message), href, { cause: error });
    }
    this.fetchedAt = Date.now();
  }
}
