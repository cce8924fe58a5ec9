import { All, BadRequestException, Controller, Param, Req, Res, ServiceUnavailableException, BadGatewayException } from '@nestjs/common';
import { ServiceDiscovery, isDiscoveryConfigurationError, type ServiceInstance } from '@nestmesh/discovery';

/** The parts of Express' request and response the demo proxy uses. */
interface Request {
  method: string;
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body?: Record<string, unknown>;
}
interface Response {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
  send(body: Buffer): unknown;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

/**
 * A deliberately small gateway for the demo: `/api/<service>/<path>` goes to a passing instance of
 * `<service>`, found through ServiceDiscovery (round robin). The full GatewayModule comes later.
 */
@Controller('api')
export class ProxyController {
  private readonly next = new Map<string, number>();

  constructor(private readonly discovery: ServiceDiscovery) {}

  @All([':service', ':service/*path'])
  async forward(@Param('service') service: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const instance = await this.choose(service);
    const url = new URL(request.originalUrl.replace(/^\/api\/[^/?]+/, '') || '/', `http://${instance.address.includes(':') ? `[${instance.address}]` : instance.address}:${instance.port}`);
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([key, value]) => !HOP_BY_HOP.has(key) && typeof value === 'string')) as Record<string, string>;
    const hasBody = !['GET', 'HEAD'].includes(request.method) && request.body !== undefined && Object.keys(request.body ?? {}).length > 0;
    let upstream: globalThis.Response;
    try {
      upstream = await fetch(url, {
        method: request.method,
        headers: { ...headers, 'x-forwarded-by': 'demo-gateway' },
        body: hasBody ? JSON.stringify(request.body) : undefined,
        signal: AbortSignal.timeout(5_000),
      });
    } catch (error) {
      throw new BadGatewayException(`${service} instance ${instance.id} did not answer: ${(error as Error).message}`);
    }
    response.status(upstream.status);
    upstream.headers.forEach((value, key) => !HOP_BY_HOP.has(key) && key !== 'content-encoding' && response.setHeader(key, value));
    response.setHeader('x-served-by', instance.id);
    response.send(Buffer.from(await upstream.arrayBuffer()));
  }

  private async choose(service: string): Promise<ServiceInstance> {
    let instances: ServiceInstance[];
    try {
      instances = await this.discovery.getInstances(service);
    } catch (error) {
      if (isDiscoveryConfigurationError(error)) throw new BadRequestException(error.message);
      throw new ServiceUnavailableException((error as Error).message);
    }
    if (instances.length === 0) throw new ServiceUnavailableException(`No passing instance of "${service}" is registered.`);
    const turn = this.next.get(service) ?? 0;
    this.next.set(service, turn + 1);
    return instances[turn % instances.length];
  }
}
