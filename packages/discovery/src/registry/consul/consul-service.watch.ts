import { Logger } from '@nestjs/common';
import { Observable, ReplaySubject } from 'rxjs';
import type { InstancesSnapshot } from '../../interfaces/service-instance.interface.js';
import { instancesFingerprint } from '../../utils/instances-fingerprint.js';
import { backoffDelay, sleep } from '../../utils/sleep.js';
import { toServiceInstance, type ConsulHealthEntry } from './consul-health-entry.js';
import { ConsulHttpClient, type ConsulEndpoint } from './consul-http.client.js';

/** Timing of a Consul watch, in milliseconds. @internal */
export interface ConsulWatchSettings {
  wait: number;
  minInterval: number;
  retryDelay: number;
  maxRetryDelay: number;
  requestTimeout: number;
}

/**
 * Follows one service with Consul blocking queries, following Consul's documented rules: the index is reset
 * when it goes backwards, never sent as 0, the loop is rate-limited under churn, and errors back off
 * exponentially with jitter. While Consul is unreachable it re-emits the last known instances marked stale.
 * @internal
 */
export class ConsulServiceWatch {
  private readonly subject = new ReplaySubject<InstancesSnapshot>(1);
  private readonly controller = new AbortController();
  private readonly client: ConsulHttpClient;
  private readonly logger = new Logger('ServiceDiscovery');
  private index = 0;
  private current: InstancesSnapshot | undefined;
  private currentFingerprint = '';

  constructor(endpoint: ConsulEndpoint, private readonly serviceName: string, private readonly settings: ConsulWatchSettings) {
    this.client = new ConsulHttpClient(endpoint);
  }

  get snapshots$(): Observable<InstancesSnapshot> {
    return this.subject.asObservable();
  }

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.controller.abort();
    this.client.close();
    this.subject.complete();
  }

  private async loop(): Promise<void> {
    const { signal } = this.controller;
    let failures = 0;
    while (!signal.aborted) {
      const startedAt = Date.now();
      try {
        const previousIndex = this.index;
        await this.poll(signal);
        if (failures > 0) this.logger.log(`Consul at ${this.client.address} answers again: "${this.serviceName}" is fresh`);
        failures = 0;
        // Rate limit under churn: an index that moved returns at once, so space requests out.
        if (this.index !== previousIndex) await sleep(this.settings.minInterval - (Date.now() - startedAt), signal);
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        this.index = 0;
        this.onError(error as Error, failures);
        await sleep(backoffDelay(failures, this.settings.retryDelay, this.settings.maxRetryDelay), signal);
      }
    }
  }

  private async poll(signal: AbortSignal): Promise<void> {
    const wait = this.settings.wait;
    const response = await this.client.expectOk<ConsulHealthEntry[]>(`the health of "${this.serviceName}"`, 'GET', `/v1/health/service/${encodeURIComponent(this.serviceName)}`, {
      query: this.index > 0 ? { index: this.index, wait: `${Math.max(1, Math.round(wait / 1000))}s` } : {},
      // Consul adds up to wait/16 of jitter to a blocking query.
      timeout: wait + wait / 16 + this.settings.requestTimeout,
      signal,
    });
    const next = response.index ?? 0;
    // Consul's rules: an index below 1 is a Consul bug, use 1 (never 0); an index that went backwards means a
    // reset (a restored or restarted server), so the next request starts over without one.
    this.index = next < 1 ? 1 : next < this.index ? 0 : next;
    const instances = (Array.isArray(response.body) ? response.body : []).map((entry) => toServiceInstance(entry, this.serviceName));
    instances.sort((a, b) => a.id.localeCompare(b.id));
    this.publish({ instances, stale: false, loaded: true });
  }

  private onError(error: Error, failures: number): void {
    if (failures === 1) {
      const serving = this.current?.loaded ? `serving the ${this.current.instances.length} last known instance(s) as stale` : 'no instances known yet';
      this.logger.warn(`Watch of "${this.serviceName}": ${error.message} (${serving}; retrying with backoff)`);
    }
    if (this.current?.loaded) {
      if (!this.current.stale) {
        const instances = this.current.instances.map((instance) => ({ ...instance, stale: true }));
        this.publish({ instances, stale: true, loaded: true, error });
      }
    } else {
      this.publish({ instances: [], stale: true, loaded: false, error });
    }
  }

  private publish(snapshot: InstancesSnapshot): void {
    const print = `${snapshot.loaded}|${snapshot.stale}|${instancesFingerprint(snapshot.instances)}`;
    if (print === this.currentFingerprint) return;
    this.currentFingerprint = print;
    this.current = snapshot;
    this.subject.next(snapshot);
  }
}
