/** Environment variable that sets the address an instance registers with (else: a non-loopback IPv4). */
export const SERVICE_ADDRESS_ENV = 'NESTMESH_SERVICE_ADDRESS';

/** Path of the health endpoint the module exposes for Consul HTTP checks (and for people). */
export const DEFAULT_HEALTH_PATH = '/_nestmesh/health';

/** Meta key of a token unique to the app that registered an instance, so an app only removes its own registration. */
export const OWNER_META_KEY = 'nestmesh-owner';
