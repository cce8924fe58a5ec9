import { Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { messages } from '../errors/messages.constants.js';
import { TransformationHookError } from '../errors/transformation-hook.error.js';
import type { GatewayRequestContext, GatewayResponseContext } from '../interfaces/gateway-hooks.interface.js';
import type { CompiledRoute } from '../routing/compiled-route.js';

const logger = new Logger('GatewayModule');

function failed(route: CompiledRoute, hook: 'onRequest' | 'onResponse', error: unknown): TransformationHookError {
  const failure = new TransformationHookError(messages.hookFailed(route.id, hook), route.id, hook, error);
  logger.error(failure.message, error instanceof Error ? error.stack : String(error));
  return failure;
}

/**
 * Destroys a body nobody will read. undici's then emits an abort error, expected here: without a listener it
 * would be an unhandled `'error'` event, which ends the process. @internal
 */
export function releaseBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Runs the route's `onRequest` hook; whatever it throws becomes a {@link TransformationHookError} (500), logged once. @internal */
export async function runRequestHook(route: CompiledRoute, context: GatewayRequestContext): Promise<void> {
  try {
    await route.onRequest!(context);
  } catch (error) {
    throw failed(route, 'onRequest', error);
  }
}

/**
 * Runs the route's `onResponse` hook; whatever it throws becomes a {@link TransformationHookError} (500), logged
 * once, and the upstream body (and any stream the hook put in its place) is released. @internal
 */
export async function runResponseHook(route: CompiledRoute, context: GatewayResponseContext, upstreamBody: Readable): Promise<void> {
  try {
    await route.onResponse!(context);
  } catch (error) {
    releaseBody(upstreamBody);
    const replaced = context.body as Partial<Readable>;
    if (replaced !== upstreamBody && typeof replaced?.destroy === 'function') releaseBody(replaced as Readable);
    throw failed(route, 'onResponse', error);
  }
}
