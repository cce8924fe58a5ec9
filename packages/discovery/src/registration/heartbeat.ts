import type { Logger } from '@nestjs/common';
import type { HealthEvaluation } from '../health/health-evaluation.js';
import type { HealthStatus } from '../interfaces/service-instance.interface.js';
import type { ServiceRegistry } from '../registry/service-registry.interface.js';

/** What a {@link Heartbeat} needs. @internal */
export interface HeartbeatContext {
  registry: ServiceRegistry;
  instanceId: string;
  /** `ttl`: report health each beat; otherwise only check that the registry still knows the instance. */
  reportsHealth: boolean;
  interval: number;
  evaluate: () => Promise<HealthEvaluation>;
  /** Called when the registry forgot the instance (agent restarted): register again, with the last health. */
  reregister: (status: HealthStatus) => Promise<void>;
  logger: Logger;
  /** Health reported at registration. */
  initialStatus: HealthStatus;
}

/**
 * Keeps one registration alive: every `interval` reports the terminus health (TTL check) or checks presence, and
 * registers again when the registry forgot it. Health changes and failures are logged once each. @internal
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private lastStatus: HealthStatus;
  private failing = false;
  private readonly controller = new AbortController();

  constructor(private readonly context: HeartbeatContext) {
    this.lastStatus = context.initialStatus;
    this.schedule();
  }

  private get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.controller.abort();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.beat().finally(() => this.schedule()), this.context.interval);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    const { registry, instanceId, logger } = this.context;
    try {
      let status = this.lastStatus;
      let result: 'ok' | 'unknown-instance';
      if (this.context.reportsHealth) {
        const health = await this.context.evaluate();
        status = health.status;
        if (this.stopped) return;
        result = await registry.reportHealth(instanceId, status, health.output, this.controller.signal);
        if (status !== this.lastStatus) {
          const log = status === 'passing' ? 'log' : 'warn';
          logger[log](`Health of ${instanceId}: ${this.lastStatus} -> ${status} (${health.output})`);
          this.lastStatus = status;
        }
      } else {
        result = await registry.checkPresence(instanceId, this.controller.signal);
      }
      if (this.stopped) return;
      if (result === 'unknown-instance') {
        logger.warn(`${registry.describe()} no longer knows ${instanceId} (agent restarted?): registering again`);
        await this.context.reregister(status);
      }
      if (this.failing) logger.log(`Heartbeat of ${instanceId} reaches ${registry.describe()} again`);
      this.failing = false;
    } catch (error) {
      if (this.stopped) return;
      if (!this.failing) logger.warn(`Heartbeat of ${instanceId} failed: ${(error as Error).message} (retrying every ${this.context.interval} ms)`);
      this.failing = true;
    }
  }
}
