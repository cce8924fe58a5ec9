import { Logger } from '@nestjs/common';
import type { HealthEvaluation } from '../health/health-evaluation.js';
import type { HealthStatus } from '../interfaces/service-instance.interface.js';
import type { HeartbeatResult, ServiceRegistry } from '../registry/service-registry.interface.js';

/** What {@link startHeartbeat} needs. @internal */
export interface HeartbeatContext {
  registry: ServiceRegistry;
  instanceId: string;
  /** `ttl`: report health each beat; otherwise only check that the registry still knows the instance. */
  reportsHealth: boolean;
  interval: number;
  evaluate: () => Promise<HealthEvaluation>;
  /** Called when the registry forgot the instance (agent restarted): register again, with the last health. */
  reregister: (status: HealthStatus) => Promise<void>;
  /** Health reported at registration. */
  initialStatus: HealthStatus;
}

const logger = new Logger('ServiceDiscovery');

/**
 * Keeps one registration alive: every `interval` reports the terminus health (TTL check) or checks presence, and
 * registers again when the registry forgot it. Health changes and failures are logged once each. Returns the
 * function that stops it. @internal
 */
export function startHeartbeat(context: HeartbeatContext): () => void {
  const { registry, instanceId, interval } = context;
  const controller = new AbortController();
  const { signal } = controller;
  let lastStatus = context.initialStatus;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;

  const beat = async (): Promise<void> => {
    try {
      let result: HeartbeatResult;
      if (context.reportsHealth) {
        const { status, output } = await context.evaluate();
        if (signal.aborted) return;
        result = await registry.reportHealth(instanceId, status, output, signal);
        if (status !== lastStatus) {
          const log = status === 'passing' ? 'log' : 'warn';
          logger[log](`Health of ${instanceId}: ${lastStatus} -> ${status} (${output})`);
          lastStatus = status;
        }
      } else {
        result = await registry.checkPresence(instanceId, signal);
      }
      if (signal.aborted) return;
      if (result === 'unknown-instance') {
        logger.warn(`${registry.describe()} no longer knows ${instanceId} (agent restarted?): registering again`);
        await context.reregister(lastStatus);
      }
      if (failing) logger.log(`Heartbeat of ${instanceId} reaches ${registry.describe()} again`);
      failing = false;
    } catch (error) {
      if (signal.aborted) return;
      if (!failing) logger.warn(`Heartbeat of ${instanceId} failed: ${(error as Error).message} (retrying every ${interval} ms)`);
      failing = true;
    }
  };
  // Beats `interval` apart from their starts, the first at once (the health registered was evaluated before the
  // registration): a slow evaluation (within the TTL) must not stretch the gap between reports past it.
  const schedule = (delay: number): void => {
    if (signal.aborted) return;
    timer = setTimeout(() => {
      const startedAt = Date.now();
      void beat().finally(() => schedule(Math.max(0, interval - (Date.now() - startedAt))));
    }, delay);
    timer.unref();
  };
  schedule(0);
  return () => {
    clearTimeout(timer);
    controller.abort();
  };
}
