import { All, BadRequestException, Controller, Param, Req, Res } from '@nestjs/common';
import { isDiscoveryConfigurationError } from '@nestmesh/discovery';
import { ServiceClients, type ServiceResponse } from '@nestmesh/client';

/** The parts of Express' request and response the demo proxy uses. */
interface Request {
  method: string;
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body?: Record<string, unknown>;
}
interface Response {
  status(code: number): unknown;
  setHeader(name: string, value: string | string[]): unknown;
  send(body: Buffer): unknown;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

/**
 * A deliberately small gateway for the demo: `/api/<service>/<path>` goes to an instance of `<service>` through
 * its `ServiceClient` (default strategy p2c-ewma, retries, outlier ejection, deadline). The full GatewayModule
 * comes later.
 */
@Controller('api')
export class ProxyController {
  constructor(private readonly clients: ServiceClients) {}

  @All([':service', ':service/*path'])
  async forward(@Param('service') service: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([key]) => !HOP_BY_HOP.has(key)));
    const hasBody = !['GET', 'HEAD'].includes(request.method) && request.body !== undefined && Object.keys(request.body ?? {}).length > 0;
    let upstream: ServiceResponse;
    try {
      upstream = await this.clients.get(service).request({
        method: request.method,
        path: request.originalUrl.replace(/^\/api\/[^/?]+/, '') || '/',
        headers: { ...headers, 'x-forwarded-by': 'demo-gateway' },
        body: hasBody ? request.body : undefined,
      });
    } catch (error) {
      if (isDiscoveryConfigurationError(error)) throw new BadRequestException(error.message);
      throw error;
    }
    response.status(upstream.status);
    for (const [key, value] of Object.entries(upstream.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(key) && key !== 'content-encoding') response.setHeader(key, value);
    }
    response.setHeader('x-served-by', upstream.instance.id);
    response.send(Buffer.from(await upstream.body.arrayBuffer()));
  }
}
