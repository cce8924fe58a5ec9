/** Injection token of the demo's {@link DemoGatewayConfig}. */
export const DEMO_CONFIG = 'DEMO_GATEWAY:config';
