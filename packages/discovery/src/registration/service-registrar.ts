import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { messages } from '../errors/messages.constants.js';
import { isRegistryUnreachableError, RegistryUnreachableError } from '../errors/registry-unreachable.error.js';
import { evaluateHealth, type HealthEvaluation } from '../health/health-evaluation.js';
import { exposeHealthEndpoint } from '../health/health-endpoint.js';
import type { HealthStatus } from '../interfaces/service-instance.interface.js';
import type { ServiceRegistration } from '../interfaces/service-registration.interface.js';
import type { RegistryChoice } from '../registry/create-service-registry.js';
import type { ServiceRegistry } from '../registry/service-registry.interface.js';
import { DEFAULT_HEALTH_PATH, OWNER_META_KEY } from '../service-discovery.constants.js';
import type { ResolvedDiscoveryOptions } from '../service-discovery.options.js';
import { REGISTRY_CHOICE, RESOLVED_DISCOVERY_OPTIONS } from '../service-discovery.providers.js';
import { assertDiscoverableKeys } from '../utils/option-keys.js';
import { withTimeout } from '@nestmesh/common';
import { backoffDelay, sleep } from '../utils/sleep.js';
import { buildRegistration, describeCheck } from './build-registration.js';
import { DiscoverableExplorer } from './discoverable.explorer.js';
import { startHeartbeat } from './heartbeat.js';
import { trackInFlightRequests } from './in-flight-requests.js';
import { MicroserviceTransports } from './microservice-transports.js';
import { defineService, type ServiceDefinition } from './service-definition.js';

/**
 * The lifecycle of this app's registration: validate at init (failing fast unless it can register), register once
 * the HTTP server (or a microservice-only app's TCP server) listens, heartbeat, and on shutdown mark critical, drain
 * and deregister within `shutdown.timeout`. A TCP server listening later updates `ports.tcp`. @internal
 */
@Injectable()
export class ServiceRegistrar implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('ServiceDiscovery');
  /** Resolves once the HTTP server answers no request (or after `timeout` ms); none to wait for without one. */
  private settleRequests = async (_timeout: number): Promise<void> => undefined;
  private readonly lifecycle = new AbortController();
  private readonly transports: MicroserviceTransports;
  private readonly registry: ServiceRegistry;
  private definition: ServiceDefinition | undefined;
  private registration: ServiceRegistration | undefined;
  private stopHeartbeat: (() => void) | undefined;
  private pending: Promise<void> | undefined;
  /** The bootstrap's check of the registry (settles within `consul.requestTimeout`); awaited only with failFast. */
  checking: Promise<void> = Promise.resolve();
  private registered = false;
  private draining = false;
  private failedAttempts = 0;
  private lastError: string | undefined;
  /** Marks this app's registrations, so it never removes one that another app (same ID) made since. */
  private readonly owner = randomUUID();

  constructor(
    @Inject(RESOLVED_DISCOVERY_OPTIONS) private readonly options: ResolvedDiscoveryOptions,
    @Inject(REGISTRY_CHOICE) private readonly choice: RegistryChoice,
    private readonly explorer: DiscoverableExplorer,
    modules: ModulesContainer,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    this.transports = new MicroserviceTransports(modules);
    this.registry = choice.registry;
  }

  evaluate(): Promise<HealthEvaluation> {
    return evaluateHealth(this.options.health.indicators, this.options.health.timeout);
  }

  async onModuleInit(): Promise<void> {
    this.logger.log(`Using ${this.registry.describe()} (${this.choice.reason})`);
    if (this.choice.fallback) this.logger.warn(messages.inMemoryFallback());
    const match = this.explorer.find();
    // Before `enabled` is read: a misspelt `enabled` (or any other key) must not decide anything.
    if (match) assertDiscoverableKeys(match.options, match.source);
    const enabled = (this.options.service.enabled ?? match?.options.enabled) !== false;
    if (enabled && (match || this.options.service.name !== undefined)) {
      this.definition = defineService(match?.options, this.options.service, match?.source ?? 'ServiceDiscoveryModule.forRoot({ service })');
    }
    if (this.adapterHost?.httpAdapter) {
      const path = this.definition?.check.type === 'http' ? this.definition.check.path : DEFAULT_HEALTH_PATH;
      exposeHealthEndpoint(this.adapterHost, path, () => this.evaluateWithRegistration(), () => this.draining);
    }
    // Without failFast a silent registry must not hold the bootstrap: the check only warns, so it runs meanwhile.
    this.checking = this.verify();
    if (this.options.failFast) await this.checking;
  }

  /** The app's health for people and HTTP checks: down while an expected registration is not done. */
  async evaluateWithRegistration(): Promise<HealthEvaluation> {
    const health = await this.evaluate();
    const message = this.notRegistered();
    if (message === undefined) return health;
    return { status: 'critical', output: `down: service-registry (${message})`, details: { ...health.details, 'service-registry': { status: 'down', message } } };
  }

  /** Why this app, which should be registered, is not (yet), for health reporting; `undefined` otherwise. */
  notRegistered(): string | undefined {
    if (!this.definition || this.draining || this.registered || this.lastError === undefined) return undefined;
    return `not registered in ${this.registry.describe()} yet${this.lastError ? `: ${this.lastError}` : ''}`;
  }

  /**
   * Fail fast means "this app can register": with something to register, prove it (token, permission, a registry
   * that accepts registrations) where the registry can; otherwise check that the registry answers.
   */
  private async verify(): Promise<void> {
    const ms = this.options.requestTimeout;
    const timeout = AbortSignal.timeout(ms);
    try {
      const signal = AbortSignal.any([timeout, this.lifecycle.signal]);
      if (this.definition && this.registry.verifyRegistration) await this.registry.verifyRegistration(this.definition.name, signal);
      else await this.registry.ping(signal);
    } catch (error) {
      if (this.lifecycle.signal.aborted) return;
      const message = timeout.aborted ? messages.registryTimeout(this.registry.describe(), ms) : (error as Error).message;
      if (this.options.failFast) {
        const address = isRegistryUnreachableError(error) ? error.address : this.registry.describe();
        throw new RegistryUnreachableError(messages.failFastFix(message), address, { cause: error });
      }
      this.lastError = message;
      this.logger.warn(`${message} (failFast is off: starting anyway${this.definition ? ', registering in the background' : ''})`);
    }
  }

  onApplicationBootstrap(): void {
    const definition = this.definition;
    if (!definition) return;
    const server = this.adapterHost?.httpAdapter?.getHttpServer?.() as Server | undefined;
    const hasHttpServer = !!server && typeof server.once === 'function';
    // A microservice-only app registers once its TCP server listens, with that port; later ones update the ports.
    this.transports.start(() => {
      const tcp = this.transports.tcpAddress;
      if (hasHttpServer || this.pending) this.updatePorts();
      else if (tcp) this.pending = this.startRegistration(tcp.port, tcp.address);
    });
    if (!hasHttpServer) {
      if (definition.port !== undefined && !this.transports.hasTcpServer) this.pending = this.startRegistration(definition.port);
      else if (!this.transports.hasTcpServer) this.logger.warn(messages.noHttpServer(definition.name));
      return;
    }
    this.settleRequests = trackInFlightRequests(server);
    const onListening = () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : definition.port;
      if (port === undefined) return this.logger.warn(messages.noHttpServer(definition.name));
      this.pending = this.startRegistration(port, address && typeof address === 'object' ? address.address : undefined);
    };
    if (server.listening) onListening();
    else server.once('listening', onListening);
  }

  /** A TCP server that listens after registration: register again with its port (same ID, so an update). */
  private updatePorts(): void {
    const current = this.registration;
    if (!current || this.lifecycle.signal.aborted) return;
    const ports = { ...this.transports.ports, ...this.definition!.ports };
    if (Object.entries(ports).every(([transport, port]) => current.ports[transport] === port)) return;
    this.registration = { ...current, ports };
    if (!this.registered) return; // register() notices the change when its first attempt succeeds
    this.registry.register(this.registration, this.lifecycle.signal).then(
      () => this.logger.log(`Registered ${current.id} again with ports ${JSON.stringify(ports)}`),
      (error: Error) => this.logger.warn(`Could not update the ports of ${current.id}: ${error.message} (the next re-registration carries them)`),
    );
  }

  /** Starts register(): a failure it did not expect is logged, so `this.pending` never rejects (never unhandled). */
  private startRegistration(port: number, boundAddress?: string): Promise<void> {
    return this.register(port, boundAddress).catch((error: Error) => this.logger.error(`Could not register ${this.definition!.name}: ${error.message}`));
  }

  private async register(port: number, boundAddress?: string): Promise<void> {
    const definition = this.definition!;
    const initialStatus: HealthStatus = definition.check.type === 'ttl' ? (await this.evaluate()).status : 'passing';
    const listening = { boundAddress, ports: this.transports.ports };
    const built = buildRegistration(definition, port, initialStatus, this.choice.kind === 'in-memory', listening);
    this.registration = { ...built, meta: { ...built.meta, [OWNER_META_KEY]: this.owner } };
    let registration = this.registration;
    if (await this.takenByAnother(built.id, this.options.requestTimeout)) this.logger.warn(messages.instanceIdTaken(built.id));
    for (let attempt = 1; !this.lifecycle.signal.aborted; attempt += 1) {
      try {
        await this.registry.register(registration, this.lifecycle.signal);
        if (registration === this.registration) break;
        registration = this.registration; // the ports changed meanwhile: send the newer one
      } catch (error) {
        if (this.lifecycle.signal.aborted) return;
        this.failedAttempts = attempt;
        this.lastError = (error as Error).message;
        if (attempt === 1) this.logger.warn(`Could not register ${registration.id}: ${this.lastError} (retrying in the background)`);
        await sleep(backoffDelay(attempt, this.options.watch.retryDelay, this.options.watch.maxRetryDelay), this.lifecycle.signal);
      }
    }
    if (this.lifecycle.signal.aborted) return;
    this.registered = true;
    this.lastError = undefined;
    // Only what differs from the defaults, so the usual line stays as it always was.
    const ports = Object.keys(registration.ports).length > 0 ? `, ports ${JSON.stringify(registration.ports)}` : '';
    const weight = registration.weight !== 1 ? `, weight ${registration.weight}` : '';
    this.logger.log(
      `Registered ${registration.id} (${registration.name} at ${registration.address}:${registration.port}${ports}${weight}, ` +
        `${initialStatus}, ${describeCheck(definition)}) in ${this.registry.describe()}`,
    );
    if (process.listenerCount('SIGTERM') === 0) this.logger.warn(messages.shutdownHooksOff());
    const check = definition.check;
    this.stopHeartbeat = startHeartbeat({
      registry: this.registry,
      instanceId: registration.id,
      reportsHealth: check.type === 'ttl',
      interval: check.type === 'ttl' ? check.heartbeatInterval : check.presenceInterval,
      evaluate: () => this.evaluate(),
      reregister: async (status) => {
        const latest = this.registration!;
        const again = latest.check?.type === 'ttl' ? { ...latest, check: { ...latest.check, initialStatus: status } } : latest;
        await this.registry.register(again, this.lifecycle.signal);
        this.logger.log(`Registered ${latest.id} again in ${this.registry.describe()}`);
      },
      initialStatus,
    });
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const deadline = Date.now() + this.options.shutdown.timeout;
    const remaining = () => Math.max(0, deadline - Date.now());
    if (this.pending && !this.registered && this.failedAttempts === 0) {
      // A first registration attempt in flight may still succeed: give it its request budget (within the
      // shutdown budget) so it can be undone. One that is retrying against a dead registry is dropped at once.
      await withTimeout(this.pending, Math.min(remaining(), this.options.requestTimeout), () => undefined);
    }
    this.lifecycle.abort();
    this.stopHeartbeat?.();
    const registration = this.registration;
    if (!this.registered || !registration) return;
    this.draining = true;
    this.registered = false;
    const budget = Math.floor(Math.min(remaining() / 4, this.options.requestTimeout));
    if (await this.takenByAnother(registration.id, budget)) return this.logger.warn(messages.instanceIdTakenOver(registration.id));
    const reason = `shutting down${signal ? ` on ${signal}` : ''}`;
    const { drainDelay } = this.options.shutdown;
    try {
      await this.registry.enterMaintenance(registration.id, reason, AbortSignal.timeout(Math.max(remaining(), 1)));
      this.logger.log(`Marked ${registration.id} critical (${reason}); draining for ${drainDelay} ms`);
    } catch (error) {
      this.logger.warn(`Could not mark ${registration.id} critical: ${(error as Error).message}`);
    }
    // The drain and the wait for in-flight requests leave deregistration its request time (a quarter of the budget
    // at most): a stream or a long poll outlasting the budget must not keep the instance registered.
    const reserved = () => Math.max(0, remaining() - Math.min(this.options.requestTimeout, this.options.shutdown.timeout / 4));
    await sleep(Math.min(drainDelay, reserved()));
    await this.settleRequests(reserved());
    if (remaining() === 0) return this.logger.warn(messages.noTimeToDeregister(registration.id, this.options.shutdown.timeout));
    try {
      await this.registry.deregister(registration.id, AbortSignal.timeout(Math.max(remaining(), 1)));
      this.logger.log(`Deregistered ${registration.id} from ${this.registry.describe()}`);
    } catch (error) {
      this.logger.warn(
        `Could not deregister ${registration.id}: ${(error as Error).message}. The registry drops it once its check stays critical long enough.`,
      );
    }
  }

  /** Whether another app (or an earlier run) holds `instanceId`; no answer within `budget` ms counts as not. */
  private async takenByAnother(instanceId: string, budget: number): Promise<boolean> {
    if (!this.registry.ownerOf || budget < 1) return false;
    const owner = await this.registry.ownerOf(instanceId, AbortSignal.timeout(budget)).catch(() => null);
    return owner !== null && owner !== this.owner;
  }

  async onApplicationShutdown(): Promise<void> {
    this.lifecycle.abort();
    this.transports.stop();
    this.stopHeartbeat?.();
    if (this.choice.kind !== 'custom') await this.registry.close();
  }
}
