import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ServiceClients } from '@nestmesh/client';
import type { Authenticator } from '../auth/authenticator.js';
import type { FailedAuthenticationLimiter } from '../auth/failed-authentication.limiter.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { TrustedProxies } from '../edge/trusted-proxies.js';
import type { GatewayRequestContext } from '../interfaces/gateway-hooks.interface.js';
import type { OpenTunnels } from '../proxy/open-tunnels.js';
import type { ServiceOutages } from '../proxy/service-outages.js';
import type { RouteTable } from '../routing/route-table.js';

/** Everything one gateway needs to handle requests. @internal */
export interface GatewayProxyDeps {
  readonly table: RouteTable;
  readonly authenticator: Authenticator;
  /** Authentication under `auth.failureLimit` (a pass-through when it is off). */
  readonly failedAuthentication: FailedAuthenticationLimiter;
  readonly realm: string;
  readonly storage: ThrottlerStorage | undefined;
  /** The clients by route target (`clientKey`: a service, or `url:<origin>`), and services' TCP clients (legs). */
  readonly clients: ServiceClients | undefined;
  /** Logs a route's service without instances once per outage; an answer through its client ends it. */
  readonly outages: ServiceOutages;
  readonly cache: ResponseCache | undefined;
  /** The tunnels open now, ended at shutdown. */
  readonly tunnels: OpenTunnels;
  readonly trustedProxies: TrustedProxies;
  readonly extraIdentityHeaders: readonly string[];
  readonly trustRequestId: boolean;
  readonly maxHeaderSize: number;
  readonly bodyTimeout: number;
  readonly get: GatewayRequestContext['get'];
}
