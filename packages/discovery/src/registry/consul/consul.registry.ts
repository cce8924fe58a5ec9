import type { Observable } from 'rxjs';
import type { HealthStatus, InstancesSnapshot } from '../../interfaces/service-instance.interface.js';
import type { ServiceRegistration } from '../../interfaces/service-registration.interface.js';
import { OWNER_META_KEY } from '../../service-discovery.constants.js';
import type { HeartbeatResult, ServiceRegistry } from '../service-registry.interface.js';
import { checkIdOf, registrationProbeBody, toConsulServiceBody } from './consul-service-body.js';
import type { ConsulApi } from './consul-api.js';
import { bodyText } from './consul-answer.js';
import { acquireConsulConnection } from './consul-connection.js';
import type { ConsulEndpoint } from './consul-endpoint.js';
import type { ConsulWatchSettings } from './consul-service.watch.js';
import { sharedConsulWatch } from './consul-watch.pool.js';

/** What we read of `GET /v1/agent/service/:id`. */
type AgentService = { Meta?: Record<string, string> | null };

/** Consul 1.8 answers 500 "does not have associated TTL" for an unknown check; newer agents answer 404. */
function isUnknownCheck(status: number, text: string): boolean {
  return status === 404 || (status === 500 && /does not have associated TTL|unknown check/i.test(text));
}

/**
 * The Consul registry, through the `consul` npm client: registers through the local agent (`/v1/agent/...`) and
 * discovers through blocking queries on `/v1/health/service/:name`, over the process-wide capped connections.
 */
export class ConsulServiceRegistry implements ServiceRegistry {
  private readonly api: ConsulApi;
  private readonly release: () => void;
  private readonly timeout: number;

  constructor(
    readonly endpoint: ConsulEndpoint,
    private readonly watchSettings: ConsulWatchSettings,
  ) {
    const { value, release } = acquireConsulConnection(endpoint);
    this.api = value.requests;
    this.release = release;
    this.timeout = watchSettings.requestTimeout;
  }

  describe(): string {
    return `Consul at ${this.api.address}`;
  }

  async ping(signal?: AbortSignal): Promise<void> {
    await this.api.call({ what: 'a status request', expect: 'json', timeout: this.timeout, signal }, (options) => this.api.client.status.leader(options));
  }

  async verifyRegistration(serviceName: string, signal?: AbortSignal): Promise<void> {
    const probe = registrationProbeBody(serviceName);
    await this.putService(`the registration of "${serviceName}"`, probe, serviceName, signal);
    await this.deregister(String(probe.ID), signal, serviceName);
  }

  async register(registration: ServiceRegistration, signal?: AbortSignal): Promise<void> {
    const what = `the registration of "${registration.id}"`;
    await this.putService(what, toConsulServiceBody(registration), registration.name, signal, { 'replace-existing-checks': 'true' });
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
    throw this.api.rejection(`the heartbeat of "${instanceId}"`, statusCode, bodyText(response.body), serviceWrite());
  }

  async checkPresence(instanceId: string, signal?: AbortSignal): Promise<HeartbeatResult> {
    return (await this.agentService(instanceId, `the presence of "${instanceId}"`, signal)) ? 'ok' : 'unknown-instance';
  }

  async ownerOf(instanceId: string, signal?: AbortSignal): Promise<string | undefined | null> {
    const service = await this.agentService(instanceId, `the registration of "${instanceId}"`, signal);
    return service ? service.Meta?.[OWNER_META_KEY] : null;
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

  /** `PUT /v1/agent/service/register`. */
  private async putService(what: string, body: object, service: string, signal?: AbortSignal, query?: Record<string, string>): Promise<void> {
    const request = { name: 'agent.service.register', path: '/agent/service/register', query, type: 'json' as const, body };
    await this.api.call({ what, expect: 'empty', timeout: this.timeout, signal, permission: serviceWrite(service) }, (options) =>
      this.api.client._put({ ...request, headers: this.api.rawHeaders, ...options }),
    );
  }

  /** `GET /v1/agent/service/:id`: this agent's registration of `instanceId`, `null` when it does not know it. */
  private async agentService(instanceId: string, what: string, signal?: AbortSignal): Promise<AgentService | null> {
    const response = await this.api.call(
      { what, expect: 'json', timeout: this.timeout, signal, accept: [404], permission: 'service:read' },
      (options) => this.api.client._get({ name: 'agent.service', path: '/agent/service/{id}', params: { id: instanceId }, headers: this.api.rawHeaders, ...options }),
    );
    return response.statusCode === 404 ? null : ((response.body ?? {}) as AgentService);
  }
}

const serviceWrite = (serviceName?: string) => (serviceName ? `service:write on "${serviceName}" (a policy with service "${serviceName}" { policy = "write" })` : 'service:write on this service');
