import type { Observable } from 'rxjs';
import type { HealthStatus, InstancesSnapshot } from '../../interfaces/service-instance.interface.js';
import type { ServiceRegistration } from '../../interfaces/service-registration.interface.js';
import { OWNER_META_KEY } from '../../service-discovery.constants.js';
import { toConsulDuration } from '../../utils/duration.js';
import type { HeartbeatResult, ServiceRegistry } from '../service-registry.interface.js';
import { toConsulServiceBody } from './consul-service-body.js';
import type { ConsulApi } from './consul-api.js';
import { bodyText } from './consul-answer.js';
import { acquireConsulConnection } from './consul-connection.js';
import type { ConsulEndpoint } from './consul-endpoint.js';
import { registrationProbeBody } from './consul-registration-probe.js';
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
 * The Consul registry, through the `consul` npm client: registers through the local agent's API
 * (`/v1/agent/...`) and discovers through blocking queries on `/v1/health/service/:name`. Connections to one
 * Consul address are shared by every registry and watch of the process and capped (16 for calls, 48 for
 * blocking queries).
 */
export class ConsulServiceRegistry implements ServiceRegistry {
  private readonly api: ConsulApi;
  private readonly release: () => void;

  constructor(
    readonly endpoint: ConsulEndpoint,
    private readonly watchSettings: ConsulWatchSettings,
  ) {
    const { connection, release } = acquireConsulConnection(endpoint);
    this.api = connection.requests;
    this.release = release;
  }

  private get timeout(): number {
    return this.watchSettings.requestTimeout;
  }

  describe(): string {
    return `Consul at ${this.api.address}`;
  }

  async ping(signal?: AbortSignal): Promise<void> {
    await this.api.call({ what: 'a status request', expect: 'json', timeout: this.timeout, signal }, (options) => this.api.client.status.leader(options));
  }

  async verifyRegistration(serviceName: string, signal?: AbortSignal): Promise<void> {
    const probe = registrationProbeBody(serviceName);
    await this.put(`the registration of "${serviceName}"`, '/agent/service/register', probe, serviceName, signal);
    await this.deregister(String(probe.ID), signal, serviceName);
  }

  async register(registration: ServiceRegistration, signal?: AbortSignal): Promise<void> {
    await this.put(`the registration of "${registration.id}"`, '/agent/service/register', toConsulServiceBody(registration, checkBody(registration)), registration.name, signal, {
      'replace-existing-checks': 'true',
    });
  }

  async deregister(instanceId: string, signal?: AbortSignal, serviceName?: string): Promise<void> {
    await this.api.call(
      { what: `the deregistration of "${instanceId}"`, expect: 'empty', timeout: this.timeout, signal, permission: serviceWrite(serviceName) },
      (options) => this.api.client.agent.service.deregister({ id: instanceId, ...options }),
    );
  }

  async reportHealth(instanceId: string, status: HealthStatus, output: string, signal?: AbortSignal): Promise<HeartbeatResult> {
    const response = await this.api.call(
      { what: `the heartbeat of "${instanceId}"`, expect: 'empty', timeout: this.timeout, signal, accept: [404, 500], permission: serviceWrite() },
      (options) =>
        this.api.client._put({
          name: 'agent.check.update',
          path: '/agent/check/update/{id}',
          params: { id: checkIdOf(instanceId) },
          headers: this.api.rawHeaders,
          type: 'json',
          body: { Status: status, Output: output },
          ...options,
        }),
    );
    const statusCode = response.statusCode ?? 0;
    if (statusCode >= 200 && statusCode < 300) return 'ok';
    if (isUnknownCheck(statusCode, bodyText(response.body))) return 'unknown-instance';
    // Any other 500: let the call fail as usual, with Consul's message.
    return this.rethrow(`the heartbeat of "${instanceId}"`, response.statusCode ?? 0, bodyText(response.body));
  }

  async checkPresence(instanceId: string, signal?: AbortSignal): Promise<HeartbeatResult> {
    const response = await this.api.call(
      { what: `the presence of "${instanceId}"`, expect: 'json', timeout: this.timeout, signal, accept: [404], permission: 'service:read' },
      (options) => this.api.client._get({ name: 'agent.service', path: '/agent/service/{id}', params: { id: instanceId }, headers: this.api.rawHeaders, ...options }),
    );
    return response.statusCode === 404 ? 'unknown-instance' : 'ok';
  }

  /** The owner meta of a registration of this agent, `null` when the agent does not know the instance. */
  async ownerOf(instanceId: string, signal?: AbortSignal): Promise<string | undefined | null> {
    const response = await this.api.call(
      { what: `the registration of "${instanceId}"`, expect: 'json', timeout: this.timeout, signal, accept: [404], permission: 'service:read' },
      (options) => this.api.client._get({ name: 'agent.service', path: '/agent/service/{id}', params: { id: instanceId }, headers: this.api.rawHeaders, ...options }),
    );
    if (response.statusCode === 404) return null;
    const meta = (response.body as { Meta?: Record<string, string> | null } | undefined)?.Meta;
    return meta?.[OWNER_META_KEY];
  }

  async enterMaintenance(instanceId: string, reason: string, signal?: AbortSignal): Promise<void> {
    await this.api.call(
      { what: `maintenance mode for "${instanceId}"`, expect: 'empty', timeout: this.timeout, signal, permission: serviceWrite() },
      (options) => this.api.client.agent.service.maintenance({ id: instanceId, enable: true, reason, ...options }),
    );
  }

  watch(serviceName: string): Observable<InstancesSnapshot> {
    return sharedConsulWatch(this.endpoint, serviceName, this.watchSettings);
  }

  async close(): Promise<void> {
    this.release();
  }

  private async put(what: string, path: string, body: Record<string, unknown>, serviceName: string, signal?: AbortSignal, query?: Record<string, string>): Promise<void> {
    await this.api.call({ what, expect: 'empty', timeout: this.timeout, signal, permission: serviceWrite(serviceName) }, (options) =>
      this.api.client._put({ name: 'agent.service.register', path, query, headers: this.api.rawHeaders, type: 'json', body, ...options }),
    );
  }

  private rethrow(what: string, status: number, text: string): never {
    throw this.api.rejection(what, status, text, serviceWrite());
  }
}

const serviceWrite = (serviceName?: string) => (serviceName ? `service:write on "${serviceName}" (a policy with service "${serviceName}" { policy = "write" })` : 'service:write on this service');
