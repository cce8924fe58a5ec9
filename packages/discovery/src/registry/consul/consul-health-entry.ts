import type { HealthStatus, ServiceInstance } from '../../interfaces/service-instance.interface.js';
import { portsFromMeta, warningWeightOf, weightOf } from '../../utils/transport-ports.js';

/** One entry of `GET /v1/health/service/:name` (the fields we read). @internal */
export interface ConsulHealthEntry {
  Node?: { Node?: string; Address?: string };
  Service?: {
    ID?: string;
    Service?: string;
    Tags?: string[] | null;
    Address?: string;
    Port?: number;
    Meta?: Record<string, string> | null;
    Weights?: { Passing?: number; Warning?: number } | null;
  };
  Checks?: Array<{ Status?: string }> | null;
}

const RANK: Record<HealthStatus, number> = { passing: 0, warning: 1, critical: 2 };

function worst(checks: ConsulHealthEntry['Checks']): HealthStatus {
  let result: HealthStatus = 'passing';
  for (const check of checks ?? []) {
    // Consul's own states are passing, warning, critical and maintenance (which reports as critical).
    const status: HealthStatus = check.Status === 'passing' ? 'passing' : check.Status === 'warning' ? 'warning' : 'critical';
    if (RANK[status] > RANK[result]) result = status;
  }
  return result;
}

/** Maps a Consul health entry to a {@link ServiceInstance}, sorted fields included for cheap comparison. @internal */
export function toServiceInstance(entry: ConsulHealthEntry, name: string): ServiceInstance {
  const service = entry.Service ?? {};
  return {
    id: service.ID ?? '',
    name: service.Service ?? name,
    address: service.Address || entry.Node?.Address || '',
    port: service.Port ?? 0,
    tags: [...(service.Tags ?? [])],
    meta: { ...(service.Meta ?? {}) },
    weight: weightOf(service.Weights?.Passing),
    warningWeight: warningWeightOf(service.Weights?.Warning),
    ports: portsFromMeta(service.Meta),
    health: worst(entry.Checks),
    stale: false,
    node: entry.Node?.Node,
  };
}
