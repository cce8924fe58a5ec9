import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { evaluateHealth } from './health-evaluation.js';

const health = new HealthIndicatorService();

describe('evaluateHealth', () => {
  it('is passing with no indicators', async () => {
    expect(await evaluateHealth([], 1_000)).toMatchObject({ status: 'passing', output: 'no health indicators configured: up' });
  });

  it('maps up, degraded and down to passing, warning and critical, worst first', async () => {
    const up = () => health.check('db').up();
    const degraded = () => health.check('cache').degraded({ message: 'slow' });
    const down = () => health.check('queue').down({ message: 'refused' });
    expect((await evaluateHealth([up], 1_000)).status).toBe('passing');
    expect(await evaluateHealth([up, degraded], 1_000)).toMatchObject({ status: 'warning', output: 'degraded: cache (slow); up: db' });
    expect(await evaluateHealth([up, degraded, down], 1_000)).toMatchObject({ status: 'critical', output: 'down: queue (refused); degraded: cache (slow); up: db' });
  });

  it('counts a throwing or hanging indicator as down, and never throws', async () => {
    const throwing = () => {
      throw new Error('boom');
    };
    const hanging = () => new Promise<never>(() => undefined);
    const result = await evaluateHealth([throwing, hanging], 50);
    expect(result.status).toBe('critical');
    expect(result.output).toBe('down: indicator-0 (boom), indicator-1 (no answer within 50 ms)');
  });

  it('counts an entry that is not an object (a buggy indicator returning { db: undefined }) as down, naming it, and never throws', async () => {
    const buggy = () => ({ db: undefined, cache: 'up' }) as unknown as HealthIndicatorResult;
    const result = await evaluateHealth([buggy, () => health.check('api').up()], 1_000);
    expect(result.status).toBe('critical');
    expect(result.output).toBe('down: db (the indicator returned undefined, not a result object), cache (the indicator returned "up", not a result object); up: api');
  });

  it('understands terminus thenable attempts (HealthCheckAttempt)', async () => {
    const attempt = health.check('api').attempt(async () => ({ latency: 3 }));
    const result = await evaluateHealth([() => attempt], 1_000);
    expect(result.status).toBe('passing');
    expect(result.details).toMatchObject({ api: { status: 'up' } });
  });
});
