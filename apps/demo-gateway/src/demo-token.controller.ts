import { Controller, Get, Inject, NotFoundException, Query } from '@nestjs/common';
import { DEMO_CONFIG } from './demo-gateway.constants.js';
import type { DemoGatewayConfig } from './demo-config.js';
import { mintDemoToken } from './demo-key.js';

/**
 * `GET /demo/token?scope=orders:read&sub=alice`: a token signed by the built-in demo key, so the demo can be
 * tried with curl. Only while the built-in key is in use (JWT_JWKS_URL unset); 404 otherwise. Also shows an
 * app controller living beside the gateway's routes.
 */
@Controller('demo')
export class DemoTokenController {
  constructor(@Inject(DEMO_CONFIG) private readonly config: DemoGatewayConfig) {}

  @Get('token')
  async token(@Query('scope') scope?: string, @Query('sub') sub?: string): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    if (this.config.jwksUrl) throw new NotFoundException('The built-in demo key is off (JWT_JWKS_URL is set): get tokens from your identity provider.');
    const token = await mintDemoToken({ scope, subject: sub, issuer: this.config.issuer, audience: this.config.audience });
    return { access_token: token, token_type: 'Bearer', expires_in: 3600 };
  }
}
