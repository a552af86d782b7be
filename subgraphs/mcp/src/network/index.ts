// Reaching user-registered MCP servers without reaching private networks.
export { isAllowedAddress, parseNetworkPolicy, PUBLIC_ONLY, type AddressVerdict, type NetworkName, type NetworkPolicy } from './address-policy.js';
export { createGuardedFetch, type FetchLike, type GuardedFetch, type GuardedFetchOptions } from './guarded-fetch.js';
export { guardedLookup } from './guarded-lookup.js';
export { systemLookup, type HostLookup } from './resolve-host.js';
export { checkServerUrl } from './safe-url.js';
export { UnsafeUrlError, type UnsafeUrlProblem } from './unsafe-url-error.js';
