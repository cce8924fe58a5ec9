import { describeValue } from '@nestmesh/common';

/** Every error and warning text of the package, so they read alike. @internal */
export const messages = {
  invalidServiceName: (where: string, value: unknown) =>
    `${where}: invalid service name ${describeValue(value)}. Consul service names must be DNS-safe: 1 to 63 ` +
    `letters, digits and dashes, starting and ending with a letter or digit (e.g. "orders" or "order-api").`,
  invalidPort: (where: string, value: unknown) =>
    `${where}: invalid port ${describeValue(value)}. A port must be an integer from 1 to 65535.`,
  invalidWeight: (where: string, value: unknown) =>
    `${where}: invalid weight ${describeValue(value)}. A weight is an integer from 1 to 65535 (Consul's Weights.Passing); ` +
    `leave it unset for 1.`,
  invalidPorts: (where: string, value: unknown) =>
    `${where}: invalid ports ${describeValue(value)}. Use an object of transport name (1 to 64 letters, digits, "_" or "-") ` +
    `to port (an integer from 1 to 65535), e.g. { tcp: 4001 }.`,
  invalidAddress: (where: string, value: unknown) =>
    `${where}: invalid address ${describeValue(value)}. Use an IPv4/IPv6 address or a host name, without scheme or port ` +
    `(e.g. "10.0.0.5"), or leave it unset to use a non-loopback IPv4 of this host.`,
  unusableInstance: (service: string, id: string, address: unknown, port: unknown) =>
    `Skipped instance "${id}" of "${service}": it is registered with address ${JSON.stringify(address)} and port ${JSON.stringify(port)}, ` +
    `which cannot be called. The address must be a bare IPv4 or IPv6 address (no brackets) or a host name, without scheme ` +
    `or port (e.g. "10.0.0.5"), and the port an integer from 1 to 65535: fix that instance's registration (Consul's service Address and Port).`,
  invalidOption: (where: string, option: string, value: unknown, fix: string) => `${where}: invalid "${option}" ${describeValue(value)}. ${fix}`,
  duplicateStaticId: (where: string, id: string) =>
    `${where}: id ${JSON.stringify(id)} is already the id of another instance of this service. Give each instance its own id ` +
    `(unset, it is "<service>-<address>-<port>", so list each address and port once).`,
  invalidTags: (where: string, value: unknown) =>
    `${where}: invalid tags ${describeValue(value)}. Tags must be an array of non-empty strings.`,
  invalidMeta: (where: string, key: string, value: unknown) =>
    `${where}: invalid meta entry ${JSON.stringify(key)}: ${describeValue(value)}. Consul meta keys are 1 to 128 letters, ` +
    `digits, "_" or "-" (not starting with "consul-"), values are strings of at most 512 characters, 64 entries at most.`,
  reservedMeta: (where: string, key: string) =>
    `${where}: meta key ${JSON.stringify(key)} is reserved: nestmesh sets "nestmesh-*" meta itself (an instance carrying ` +
    `such a key may be hidden from discovery). Rename the key; give transport ports as ports: { tcp: 4001 }, not as "nestmesh-port-<transport>" meta.`,
  invalidDuration: (option: string, value: unknown) =>
    `Invalid duration for "${option}": ${describeValue(value)}. Use milliseconds (a number from 0 to 2147483647, Node's ` +
    `largest timer: about 596h) or a string such as "500ms", "10s", "1m".`,
  deregisterTooSoon: (option: string, value: unknown) =>
    `Invalid duration for "${option}": ${describeValue(value)} is under Consul's minimum of 1m (Consul would wait 1m anyway). ` +
    `Use '1m' or more, or leave it unset (default '1m').`,
  invalidWatchWait: (value: unknown) =>
    `Invalid duration for "watch.wait": ${describeValue(value)}. A blocking query waits from 1s to 10m (Consul's bounds; 0 would ` +
    `poll Consul in a busy loop). Use e.g. '55s' (the default), or leave it unset.`,
  invalidCheck: (where: string, value: unknown) =>
    `${where}: invalid check ${describeValue(value)}. Use { type: 'ttl', ttl: '10s' }, { type: 'http', interval: '10s' }, 'ttl', 'http' or false.`,
  ttlTooShort: (where: string, ttl: number, interval: number) =>
    `${where}: check.heartbeatInterval (${interval} ms) must be shorter than check.ttl (${ttl} ms), or the check will flap. ` +
    `Leave heartbeatInterval unset (it defaults to a third of the TTL).`,
  invalidRegistry: (value: unknown) =>
    `ServiceDiscoveryModule: invalid "registry" option ${describeValue(value)}. Use 'consul', 'in-memory', 'static', ` +
    `or an object implementing ServiceRegistry; or leave it unset (Consul when CONSUL_HTTP_ADDR is set, in-memory otherwise).`,
  invalidConsulAddress: (value: unknown, source: string) =>
    `Invalid Consul address ${describeValue(value)} (from ${source}). Use "host:port" or "http(s)://host:port", ` +
    `e.g. CONSUL_HTTP_ADDR=127.0.0.1:8500.`,
  invalidStaticInstance: (service: string, value: unknown) =>
    `ServiceDiscoveryModule: invalid static instance of "${service}": ${describeValue(value)}. ` +
    `Use "host:port" or { address, port, tags?, meta?, weight?, ports? }.`,
  unreadablePortMeta: (service: string, key: string, value: unknown) =>
    `ServiceDiscoveryModule: static instance of "${service}": meta "${key}" is ${describeValue(value)}, not a transport port. ` +
    `A "nestmesh-port-<transport>" meta names a transport of letters, digits, "_" and "-" and holds a port from 1 to 65535 as a string, such as "4001"; or set ports: { tcp: 4001 }.`,
  twoDiscoverables: (first: string, second: string) =>
    `@Discoverable() is on both ${first} and ${second}. An app registers as one service: keep one of them.`,
  consulUnreachable: (address: string, detail: string) =>
    `Consul is unreachable at ${address}: ${detail}. Check CONSUL_HTTP_ADDR (and CONSUL_HTTP_TOKEN, CONSUL_HTTP_SSL).`,
  consulRejected: (address: string, what: string, status: number, body: string, fix: string) =>
    `Consul at ${address} refused ${what}: HTTP ${status} ${body.trim().slice(0, 300)}${fix ? `. ${fix}` : ''}`,
  /** The fix for a refusal, from Consul's status and message; `permission` names what the call needs. */
  consulRejectionFix: (status: number, body: string, permission: string | undefined) =>
    /acl not found/i.test(body)
      ? 'The ACL token is not known to Consul: set CONSUL_HTTP_TOKEN (or the consul.token option) to a valid token.'
      : status === 403 || /permission denied/i.test(body)
        ? `The ACL token lacks ${permission ?? 'the permission this request needs'}: give it a policy with that rule (or use another token in CONSUL_HTTP_TOKEN / consul.token).`
        : status >= 500 && permission
          ? 'Consul answered with a server error: check the agent\'s logs and that its cluster has a leader.'
          : '',
  notConsul: (address: string, what: string, detail: string) =>
    `The server at ${address} is not answering like Consul (for ${what}: ${detail}). Point CONSUL_HTTP_ADDR (or consul.address) ` +
    `at a Consul agent's HTTP API, e.g. 127.0.0.1:8500, not at another server or a proxy's error page.`,
  registryTimeout: (registry: string, ms: number) =>
    `${registry} did not answer within ${ms} ms (consul.requestTimeout). Check that it runs and is reachable from this host ` +
    `(CONSUL_HTTP_ADDR), or raise consul.requestTimeout.`,
  failFastFix: (message: string) => `${message} Or set failFast: false to start anyway and register in the background (the health indicator reports down until then).`,
  consulAddressExtras: (value: unknown, source: string) =>
    `Invalid Consul address ${describeValue(value)} (from ${source}): a path, query string, fragment or credentials are not allowed there. ` +
    `Use "host:port" or "http(s)://host:port"; put the token in CONSUL_HTTP_TOKEN (or consul.token) and the datacenter in consul.datacenter.`,
  inMemoryFix: () => 'set CONSUL_HTTP_ADDR to use Consul',
  inMemoryFallback: () =>
    'Using the in-memory registry of this process: CONSUL_HTTP_ADDR is not set and no "registry" option was given, so this app ' +
    'registers and finds only services running in this same process. Fix: set CONSUL_HTTP_ADDR (e.g. 127.0.0.1:8500) to use Consul, ' +
    "or pass registry: 'in-memory' to ServiceDiscoveryModule.forRoot() to keep it on purpose (then nothing is logged).",
  noInstancesYet: (service: string, registry: string, detail: string) =>
    `No instances of "${service}" are known yet: ${registry} did not answer (${detail}). ` +
    `The watch keeps retrying in the background; call again, or check that the registry is reachable.`,
  shutdownHooksOff: () =>
    `Shutdown hooks are off, so on SIGTERM this instance will neither drain nor deregister; consumers keep choosing it ` +
    `until its TTL expires. Fix: call app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true }) before app.listen().`,
  instanceIdTaken: (id: string) =>
    `Instance ID "${id}" is already registered by another app (or by an earlier run of this one that did not deregister). ` +
    `Two apps on one address and port share one ID, and the last to register wins: give each its own port or instanceId.`,
  instanceIdTakenOver: (id: string) =>
    `Left the registration of "${id}" in place: another app registered the same instance ID since (same address and port). ` +
    `Give each app its own port or instanceId.`,
  noTimeToDeregister: (id: string, timeout: number) =>
    `Could not deregister ${id}: shutdown.timeout (${timeout} ms) ran out. The registry drops it once its check stays critical ` +
    `long enough; raise shutdown.timeout or lower shutdown.drainDelay.`,
  discoverableOnController: (name: string) =>
    `@Discoverable() is on the controller ${name}, where ServiceDiscoveryModule does not look: this app is not registered. ` +
    'Fix: put @Discoverable() on the root module (or on one provider) instead.',
  discoverableWithoutModule: (name: string) =>
    `@Discoverable() is on ${name}, but this app does not import ServiceDiscoveryModule, so nothing registers it. ` +
    'Fix: add ServiceDiscoveryModule.forRoot({}) to the imports of the root module (or remove @Discoverable()).',
  usedAfterClose: (name: string) =>
    `ServiceDiscovery was asked for "${name}" after the app was closed (app.close()): its registry watches are stopped. ` +
    `Ask before closing, or stop the timers and subscriptions that call getInstances() or watch() in onModuleDestroy().`,
  noHttpServer: (name: string) =>
    `@Discoverable({ name: "${name}" }): the app has neither an HTTP server nor a @nestjs/microservices TCP server to take ` +
    `the port from, so nothing is registered. Set the "port" option of @Discoverable() for apps without such a listener.`,
} as const;
