import { Logger } from '@nestjs/common';
import { ReplaySubject } from 'rxjs';
import { RegistryUnreachableError } from '../../errors/registry-unreachable.error.js';
import { messages } from '../../errors/messages.constants.js';
import type { InstancesSnapshot } from '../../interfaces/service-instance.interface.js';
import type { ResolvedDiscoveryOptions } from '../../service-discovery.options.js';
import { instancesFingerprint } from '../../utils/instances-fingerprint.js';
import { backoffDelay, sleep } from '../../utils/sleep.js';
import { asHealthEntries, consulIndexOf, toServiceInstance } from './consul-answer.js';
import { CROWDED_WATCH_WAIT, type ConsulConnection } from './consul-connection.js';
import { isRegistrationProbe } from './consul-service-body.js';

/** Timing of a Consul watch, in milliseconds. @internal */
export type ConsulWatchSettings = Pick<ResolvedDiscoveryOptions, 'requestTimeout'> &
  Pick<ResolvedDiscoveryOptions['watch'], 'wait' | 'minInterval' | 'retryDelay' | 'maxRetryDelay'>;

/** Thrown inside the loop when another watch needed this watch's connection: not an error, take turns. */
const PREEMPTED = Symbol('preempted');

/**
 * Follows one service with Consul blocking queries, following Consul's documented rules: the index is reset
 * when it goes backwards, never sent as 0, requests are spaced by at least `minInterval`, and errors back off
 * exponentially with jitter. While Consul is unreachable it re-emits the last known instances marked stale.
 * The first read is a plain request; blocking queries take one of the connection's watch slots, so however many
 * services are watched, the connections to Consul stay bounded (crowded watches take turns with shorter waits).
 * @internal
 */
export class ConsulServiceWatch {
  private readonly subject = new ReplaySubject<InstancesSnapshot>(1);
  readonly snapshots$ = this.subject.asObservable();
  private readonly controller = new AbortController();
  private readonly logger = new Logger('ServiceDiscovery');
  private readonly leave: () => void;
  private readonly address: string;
  private index = 0;
  private current: InstancesSnapshot | undefined;
  private currentFingerprint = '';

  constructor(
    private readonly connection: ConsulConnection,
    private readonly serviceName: string,
    private readonly settings: ConsulWatchSettings,
    private readonly datacenter?: string,
  ) {
    this.leave = connection.slots.join();
    this.address = connection.requests.address;
    void this.loop();
  }

  stop(): void {
    this.controller.abort();
    this.leave();
    this.subject.complete();
  }

  private async loop(): Promise<void> {
    const { signal } = this.controller;
    let failures = 0;
    while (!signal.aborted) {
      const startedAt = Date.now();
      try {
        await (this.index > 0 ? this.blockingPoll(signal) : this.poll(signal, 0));
        if (failures > 0) this.logger.log(`Consul at ${this.address} answers again: "${this.serviceName}" is fresh`);
        failures = 0;
        // Rate limit: an index that moved (churn), or a Consul that ignores the index, returns at once; space requests out.
        await sleep(this.settings.minInterval - (Date.now() - startedAt), signal);
      } catch (error) {
        if (signal.aborted) break;
        if (error === PREEMPTED) continue;
        failures += 1;
        this.index = 0;
        this.onError(error as Error, failures);
        await sleep(backoffDelay(failures, this.settings.retryDelay, this.settings.maxRetryDelay), signal);
      }
    }
  }

  /** A blocking query on one of the connection's watch slots; ends early (PREEMPTED) when another watch waits. */
  private async blockingPoll(signal: AbortSignal): Promise<void> {
    const turn = new AbortController();
    const wait = this.connection.slots.crowded ? Math.min(this.settings.wait, CROWDED_WATCH_WAIT) : this.settings.wait;
    // Only a long blocking query is asked to give its slot up early; short ones simply take their turn.
    const release = await this.connection.slots.acquire(signal, wait > CROWDED_WATCH_WAIT ? () => turn.abort() : undefined);
    if (!release) return;
    // One signal for the query: the watch stopping, or its turn ending (a listener rather than AbortSignal.any(),
    // which would tie a new signal to the watch's long-lived one at every request).
    const stop = () => turn.abort();
    signal.addEventListener('abort', stop, { once: true });
    try {
      await this.poll(turn.signal, wait);
    } catch (error) {
      if (turn.signal.aborted && !signal.aborted) throw PREEMPTED;
      throw error;
    } finally {
      signal.removeEventListener('abort', stop);
      release();
    }
  }

  private async poll(signal: AbortSignal, wait: number): Promise<void> {
    const api = wait > 0 ? this.connection.watches : this.connection.requests;
    const what = `the health of "${this.serviceName}"`;
    const blocking = wait > 0 ? { index: this.index, wait: `${Math.max(1, Math.round(wait / 1000))}s` } : {};
    const response = await api.call(
      // Consul adds up to wait/16 of jitter to a blocking query.
      { what, expect: 'json', timeout: wait + wait / 16 + this.settings.requestTimeout, signal },
      (options) => api.client.health.service({ service: this.serviceName, dc: this.datacenter, ...blocking, ...options }),
    );
    const next = consulIndexOf(response);
    const entries = asHealthEntries(response.body);
    if (next === undefined) throw new RegistryUnreachableError(messages.notConsul(this.address, what, 'no X-Consul-Index header'), this.address);
    if (!entries) throw new RegistryUnreachableError(messages.notConsul(this.address, what, 'a body that is not a list of health entries'), this.address);
    // Consul's rules: an index below 1 is a Consul bug, use 1 (never 0); an index that went backwards means a
    // reset (a restored or restarted server), so the next request starts over without one.
    this.index = next < 1 ? 1 : next < this.index ? 0 : next;
    const instances = entries.filter((entry) => !isRegistrationProbe(entry)).map((entry) => toServiceInstance(entry, this.serviceName));
    instances.sort((a, b) => a.id.localeCompare(b.id));
    this.publish({ instances, stale: false, loaded: true });
  }

  private onError(error: Error, failures: number): void {
    const current = this.current;
    if (failures === 1) {
      const serving = current?.loaded ? `serving the ${current.instances.length} last known instance(s) as stale` : 'no instances known yet';
      this.logger.warn(`Watch of "${this.serviceName}": ${error.message} (${serving}; retrying with backoff)`);
    }
    // publish() drops a snapshot like the current one: a watch already stale stays as it is.
    if (!current?.loaded) this.publish({ instances: [], stale: true, loaded: false, error });
    else this.publish({ instances: current.instances.map((instance) => ({ ...instance, stale: true })), stale: true, loaded: true, error });
  }

  private publish(snapshot: InstancesSnapshot): void {
    // Before any answer, the error is all a caller learns: a new cause is a new snapshot.
    const print = `${snapshot.loaded}|${snapshot.stale}|${instancesFingerprint(snapshot.instances)}|${snapshot.loaded ? '' : snapshot.error?.message}`;
    if (print === this.currentFingerprint) return;
    this.currentFingerprint = print;
    this.current = snapshot;
    this.subject.next(snapshot);
  }
}
