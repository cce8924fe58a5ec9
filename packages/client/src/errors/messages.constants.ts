import { describeValue } from '@nestmesh/common';

/** Every error text of the package, so they read alike: what was wrong, the value, and the fix. @internal */
export const messages = {
  noInstances: (service: string, detail: string) =>
    `No instance of "${service}" to call: ${detail}. Start an instance of "${service}" (it registers through ` +
    `@Discoverable), or check the service name and the "tags" option of its ServiceClient.`,
  allEjected: (service: string, count: number) =>
    `All ${count} instance(s) of "${service}" are ejected after consecutive failures, and panic mode is off. ` +
    `They come back after their ejection time; set outlierDetection.panicMode: true to spread load over them meanwhile.`,
  timeout: (service: string, ms: number, instance: string | undefined, attempts: number) =>
    `"${service}" did not answer within the ${ms} ms deadline (${attempts} attempt(s), last instance ${instance ?? 'none'}). ` +
    `Raise the "deadline" option (or the request's "timeout"), or find out why the instance is slow.`,
  discoveryTimeout: (service: string, source: string, ms: number) =>
    `"${service}": no instance list from ${source} within the ${ms} ms deadline (discovery has not answered for "${service}" ` +
    `yet; 0 attempts). Check that the registry is reachable from this host, or raise the "deadline" option (or the request's "timeout").`,
  attemptTimeout: (service: string, ms: number, instance: string | undefined, attempts: number) =>
    `"${service}" instance ${instance ?? 'none'} did not answer within the ${ms} ms attempt timeout (${attempts} attempt(s)). ` +
    `Raise the "timeout.ms" option, or find out why the instance is slow.`,
  budgetExhausted: (service: string, instance: string | undefined, attempts: number, detail: string) =>
    `"${service}" instance ${instance ?? 'none'} failed (${detail}) and the retry budget of "${service}" is spent ` +
    `(${attempts} attempt(s)). The service is failing broadly; the budget keeps retries from multiplying its load.`,
  circuitOpen: (service: string, attempts: number) =>
    `The circuit breaker of "${service}" is open after repeated failures (${attempts} attempt(s)); calls are refused ` +
    `until a half-open probe succeeds.`,
  unreachable: (service: string, instance: string | undefined, attempts: number, detail: string) =>
    `"${service}" could not be reached: instance ${instance ?? 'none'} failed with ${detail} after ${attempts} attempt(s). ` +
    `Check that the instances registered for "${service}" are up and reachable from this host.`,
  invalidOption: (where: string, option: string, value: unknown, fix: string) =>
    `${where}: invalid "${option}" ${describeValue(value)}. ${fix}`,
  unknownService: (name: string, known: string[]) =>
    `No ServiceClient is configured for "${name}". Add it to ServiceClientModule.register({ services: { ${name}: {} } }) ` +
    `(configured: ${known.length ? known.map((k) => `"${k}"`).join(', ') : 'none'}).`,
  tooManyServices: (name: string, max: number) =>
    `ServiceClients.get("${name}"): already ${max} services are followed (the "maxServices" option). ` +
    `Raise maxServices if this app really calls that many services, or check where the service names come from.`,
  closed: (name: string) =>
    `ServiceClients: "${name}" was called after its app closed (its connections are closed for good). ` +
    'Fix: make last calls before app.close() (in beforeApplicationShutdown, not onApplicationShutdown), or from a live app.',
  missingDiscovery: () =>
    'ServiceClientModule needs ServiceDiscoveryModule to find the instances of the services it calls, and this app does ' +
    'not import it (no ServiceDiscovery provider is visible to ServiceClientModule). Fix: add ServiceDiscoveryModule.forRoot({}) ' +
    '(or forRootAsync()) to the imports of the module that imports ServiceClientModule, e.g. ' +
    '@Module({ imports: [ServiceDiscoveryModule.forRoot({}), ServiceClientModule.register({ services: { orders: {} } })] }).',
  unusableInstance: (service: string, instance: string, address: unknown, port: unknown, detail: string) =>
    `Instance "${instance}" of "${service}" (address ${describeValue(address)}, port ${describeValue(port)}) is skipped: ${detail}. ` +
    `Its address must be a bare IPv4 or IPv6 address (no brackets) or a host name, without scheme or port, and its port 1 to 65535: fix its registration.`,
  noTcpPort: (service: string, instance: string, meta: string | undefined) =>
    (meta === undefined
      ? `Instance "${instance}" of "${service}" registered no TCP port (service meta "nestmesh-port-tcp"); the ServiceClientProxy skips it. `
      : `Instance "${instance}" of "${service}": its service meta "nestmesh-port-tcp" is ${JSON.stringify(meta)}, not a port from 1 to 65535; the ServiceClientProxy skips it. `) +
    `Connect a TCP microservice in that app (app.connectMicroservice) or set @Discoverable({ ports: { tcp } }).`,
  replyTooLarge: (service: string, instance: string, max: number) =>
    `A reply from instance ${instance} of "${service}" grew past maxReplySize (${max} characters): its connection was closed. ` +
    `Raise services.${service}.maxReplySize if such replies are expected.`,
} as const;
