import { isObject } from '@nestmesh/common';
import type { ServiceDiscoveryModuleOptions } from '../interfaces/service-discovery-options.interface.js';
import { assertOption, BOOLEAN_FIX } from './validation.js';

const isString = (value: unknown) => typeof value === 'string';
const isBoolean = (value: unknown) => typeof value === 'boolean';
const isFunctions = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'function');

/**
 * Checks the type of each module option that no other check reads (sections, booleans, strings, indicators), so
 * that `failFast: 'false'` fails the bootstrap instead of reading as true. Durations are checked where they are read. @internal
 */
export function assertModuleOptionTypes(options: ServiceDiscoveryModuleOptions): void {
  const check = (option: string, value: unknown, valid: (value: unknown) => boolean, fix: string) =>
    assertOption(value === undefined || valid(value), 'ServiceDiscoveryModule', option, value, fix);
  for (const section of ['consul', 'staticServices', 'service', 'health', 'shutdown', 'watch'] as const) {
    check(section, options[section], isObject, 'Use an object, or leave it unset.');
  }
  check('failFast', options.failFast, isBoolean, BOOLEAN_FIX);
  for (const key of ['address', 'token', 'datacenter', 'caFile'] as const) check(`consul.${key}`, options.consul?.[key], isString, 'Use a string, or leave it unset.');
  for (const key of ['secure', 'verifyTls'] as const) check(`consul.${key}`, options.consul?.[key], isBoolean, BOOLEAN_FIX);
  check('health.indicators', options.health?.indicators, isFunctions, 'Use an array of terminus indicator functions, e.g. [() => db.pingCheck("db")], or leave it unset.');
  for (const [service, instances] of Object.entries(options.staticServices ?? {})) {
    check(`staticServices.${service}`, instances, Array.isArray, 'Use an array of "host:port" strings or { address, port } objects.');
  }
}
