import type { Observable } from 'rxjs';
import type { HealthStatus, InstancesSnapshot } from '../../interfaces/service-instance.interface.js';
import type { ServiceRegistration } from '../../interfaces/service-registration.interface.js';
import { toConsulDuration } from '../../utils/duration.js';
import type { HeartbeatResult, ServiceRegistry } from '../service-registry.interface.js';
import { toConsulServiceBody } from './consul-service-body.js';
import { ConsulHttpClient, type ConsulEndpoint } from './consul-http.client.js';
import type { ConsulWatchSettings } from './consul-service.watch.js';
import { sharedConsulWatch } from './consul-watch.pool.js';

/** The check ID we give an instance's check, so heartbeats can address it. */
const checkIdOf = (instanceId: string) => `service:${instanceId}`;

/** Consul 1.8 answers 500 "does not have associated TTL" for an unknown check; newer agents answer 404. */
function isUnknownCheck(status: number, text: string): boolean {
  return status === 404 || (status === 500 && /does not have associated TTL|unknown check/i.test(text));
}

/** The `Check` of a registration body, or `undefined` for an instance without a check. */
function checkBody({ id, name, check }: ServiceRegistration): Record<string, unknown> | undefined {
  if (!check) return undefined;
  const common = {
    CheckID: checkIdOf(id),
    DeregisterCriticalServiceAfter: toConsulDuration(check.deregisterCriticalServiceAfter),
  };
  if (check.type === 'ttl') return { ...common, Name: `${name} heartbeat (terminus)`, TTL: toConsulDuration(check.ttl), Status: check.initialStatus };
  return { ...common, Name: `${name} health endpoint (terminus)`, HTTP: check.url, Interval: toConsulDuration(check.interval), Timeout: toConsulDuration(check.timeout) };
}

/**
 * The Consul registry: registers through the local agent's API (`/v1/agent/...`) and discovers through
 * blocking queries on `/v1/health/service/:name`.
 */
export class ConsulServiceRegistry implements ServiceRegistry {
  private readonly client: ConsulHttpClient;

  constructor(
    readonly endpoint: ConsulEndpoint,
    private readonly watchSettings: ConsulWatchSettings,
  ) {
    this.client = new ConsulHttpClient(endpoint);
  }

  private get timeout(): number {
    return this.watchSettings.requestTimeout;
  }

  describe(): string {
    return `Consul at ${this.client.address}`;
  }

  async ping(signal?: AbortSignal): Promise<void> {
    await this.client.expectOk('a status request', 'GET', '/v1/status/leader', { timeout: this.timeout, signal });
  }

  async register(registration: ServiceRegistration, signal?: AbortSignal): Promise<void> {
    const body = toConsulServiceBody(registration, checkBody(registration));
    await this.client.expectOk(`the registration of "${registration.id}"`, 'PUT', '/v1/agent/service/register', {
      body,
      query: { 'replace-existing-checks': true },
      timeout: this.timeout,
      signal,
    });
  }

  async deregister(instanceId: string, signal?: AbortSignal): Promise<void> {
    await this.client.expectOk(`the deregistration of "${instanceId}"`, 'PUT', `/v1/agent/service/deregister/${encodeURIComponent(instanceId)}`, {
      timeout: this.timeout,
      signal,
    });
  }

  async reportHealth(instanceId: string, status: HealthStatus, output: string, signal?: AbortSignal): Promise<HeartbeatResult> {
    const response = await this.client.request('PUT', `/v1/agent/check/update/${encodeURIComponent(checkIdOf(instanceId))}`, {
      body: { Status: status, Output: output },
      timeout: this.timeout,
      signal,
    });
    if (isUnknownCheck(response.status, response.text)) return 'unknown-instance';
    this.client.assertOk(`the heartbeat of "${instanceId}"`, response);
    return 'ok';
  }

  async checkPresence(instanceId: string, signal?: AbortSignal): Promise<HeartbeatResult> {
    const response = await this.client.request('GET', `/v1/agent/service/${encodeURIComponent(instanceId)}`, { timeout: this.timeout, signal });
    if (response.status === 404) return 'unknown-instance';
    this.client.assertOk(`the presence of "${instanceId}"`, response);
    return 'ok';
  }

  async enterMaintenance(instanceId: string, reason: string, signal?: AbortSignal): Promise<void> {
    await this.client.expectOk(`maintenance mode for "${instanceId}"`, 'PUT', `/v1/agent/service/maintenance/${encodeURIComponent(instanceId)}`, {
      query: { enable: 'true', reason },
      timeout: this.timeout,
      signal,
    });
  }

  watch(serviceName: string): Observable<InstancesSnapshot> {
    return sharedConsulWatch(this.endpoint, serviceName, this.watchSettings);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
