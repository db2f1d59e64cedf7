import type { ProviderTransport } from '../provider-transport.js';

/** The simulated provider runs in-process: a placeholder address, no key. */
export const SIMULATED_TRANSPORT: ProviderTransport = { baseUrl: 'simulated://local', keyRequired: false };
