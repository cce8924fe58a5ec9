import type { ConsulAgent } from '@nestmesh/testing';

/** One entry of Consul's `/v1/health/service/:name`. */
export interface HealthEntry {
  Service: { ID: string; Service: string; Address: string; Port: number; Tags: string[]; Meta: Record<string, string> };
  Checks: Array<{ CheckID: string; Status: string; Output: string }>;
}

/** Asks the real agent which instances of `name` exist (passing only, or all). */
export function healthOf(consul: { url: string }, name: string, passing = false): Promise<HealthEntry[]> {
  return fetch(`${consul.url}/v1/health/service/${name}${passing ? '?passing' : ''}`).then((r) => r.json() as Promise<HealthEntry[]>);
}

/** The status of the check we registered for `instanceId`, or undefined when there is none. */
export async function checkStatusOf(consul: ConsulAgent, instanceId: string): Promise<string | undefined> {
  const checks = await consul.get<Record<string, { Status: string }>>('/v1/agent/checks');
  return checks[`service:${instanceId}`]?.Status;
}
