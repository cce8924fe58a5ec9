import { readFileSync } from 'node:fs';
import { DiscoveryConfigurationError } from '../../errors/discovery-configuration.error.js';
import { messages } from '../../errors/messages.constants.js';
import type { ConsulRegistryOptions } from '../../interfaces/service-discovery-options.interface.js';

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());

function readCa(path: string | undefined, source: string): Buffer | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new DiscoveryConfigurationError(
      `Cannot read the Consul CA certificate ${JSON.stringify(path)} (from ${source}): ${(error as Error).message}. Point it at a PEM file.`,
      { cause: error },
    );
  }
}

/**
 * Resolves where Consul is from the options, then the standard `CONSUL_HTTP_ADDR`, `CONSUL_HTTP_TOKEN`,
 * `CONSUL_HTTP_SSL`, `CONSUL_CACERT` and `CONSUL_HTTP_SSL_VERIFY` variables, then `127.0.0.1:8500`. @internal
 */
export function resolveConsulEndpoint(options: ConsulRegistryOptions = {}, env: NodeJS.ProcessEnv = process.env) {
  const source = options.address !== undefined ? 'the consul.address option' : env.CONSUL_HTTP_ADDR ? 'CONSUL_HTTP_ADDR' : 'the default';
  const raw = (options.address ?? env.CONSUL_HTTP_ADDR ?? '127.0.0.1:8500').trim();
  const secure = options.secure ?? truthy(env.CONSUL_HTTP_SSL);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `${secure ? 'https' : 'http'}://${raw}`;
  const baseUrl = URL.parse(withScheme);
  if (!baseUrl || !['http:', 'https:'].includes(baseUrl.protocol) || !baseUrl.hostname) {
    throw new DiscoveryConfigurationError(messages.invalidConsulAddress(raw, source));
  }
  if ((baseUrl.pathname !== '/' && baseUrl.pathname !== '') || baseUrl.search || baseUrl.hash || raw.includes('?') || baseUrl.username || baseUrl.password) {
    throw new DiscoveryConfigurationError(messages.consulAddressExtras(raw, source));
  }
  const token = options.token ?? (env.CONSUL_HTTP_TOKEN || undefined);
  const ca = readCa(options.caFile ?? (env.CONSUL_CACERT || undefined), options.caFile !== undefined ? 'the consul.caFile option' : 'CONSUL_CACERT');
  const verify = options.verifyTls ?? !(env.CONSUL_HTTP_SSL_VERIFY !== undefined && /^(0|false|no|off)$/i.test(env.CONSUL_HTTP_SSL_VERIFY.trim()));
  const tls = baseUrl.protocol === 'https:' ? { ca, rejectUnauthorized: verify } : undefined;
  return { baseUrl, token, datacenter: options.datacenter, tls };
}

/** Where and how to reach Consul (`tls` over HTTPS only). @internal */
export type ConsulEndpoint = ReturnType<typeof resolveConsulEndpoint>;
