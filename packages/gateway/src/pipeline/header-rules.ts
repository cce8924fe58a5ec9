import type { GatewayHeaderRules } from '../interfaces/gateway-route.interface.js';

/** Applies a route's `set` / `remove` header rules. @internal */
export function applyHeaderRules(headers: Record<string, string | string[]>, rules: GatewayHeaderRules | undefined): void {
  if (!rules) return;
  for (const name of rules.remove ?? []) delete headers[name.toLowerCase()];
  for (const [name, value] of Object.entries(rules.set ?? {})) headers[name.toLowerCase()] = value;
}
