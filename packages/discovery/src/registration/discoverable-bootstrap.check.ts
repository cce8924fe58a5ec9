import { Logger } from '@nestjs/common';
import { messages } from '../errors/messages.constants.js';

/** `@Discoverable()` instances their app's `ServiceDiscoveryModule` looked at (instances are per app). @internal */
const examined = new WeakSet<object>();

/** Records that the app's `ServiceDiscoveryModule` looked at this `@Discoverable()` instance. @internal */
export function markExamined(instance: unknown): void {
  if (typeof instance === 'object' && instance !== null) examined.add(instance);
}

type Hooked = { onApplicationBootstrap?: (...args: unknown[]) => unknown };
const HOOKED = Symbol.for('NESTMESH:discovery:discoverable-bootstrap-check');

/**
 * Gives a `@Discoverable()` class an `onApplicationBootstrap` step (around its own) that warns when no
 * `ServiceDiscoveryModule` of the app looked at the instance, so it is never registered. Nest calls it once per app
 * (module classes, static providers) after every `onModuleInit`, where the explorer marks what it found. @internal
 */
export function addDiscoverableBootstrapCheck(target: object): void {
  if (typeof target !== 'function') return;
  const proto = target.prototype as Hooked & Record<symbol, unknown>;
  if (Object.prototype.hasOwnProperty.call(proto, HOOKED)) return;
  const own = proto.onApplicationBootstrap;
  const className = target.name || 'an anonymous class';
  Object.defineProperty(proto, HOOKED, { value: true });
  Object.defineProperty(proto, 'onApplicationBootstrap', {
    configurable: true,
    writable: true,
    value: function (this: object, ...args: unknown[]) {
      // A subclass inherits the hook but is not what was decorated: the module may not look at it, so say nothing.
      if (this.constructor === target && !examined.has(this)) new Logger('ServiceDiscovery').warn(messages.discoverableWithoutModule(className));
      return own?.apply(this, args);
    },
  });
}
