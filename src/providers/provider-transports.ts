import type { ProviderType } from '../core/index.js';
import { ANTHROPIC_TRANSPORT } from './anthropic/anthropic-settings.js';
import { GEMINI_TRANSPORT } from './gemini/gemini-transport.js';
import { OPENAI_FAMILY_TRANSPORTS } from './openai-compatible/openai-family-transports.js';
import type { ProviderTransport } from './provider-transport.js';
import { SIMULATED_TRANSPORT } from './simulated/simulated-transport.js';

/** The one transport description per provider type; config defaults, key notes and auth headers all read it. */
export const PROVIDER_TRANSPORTS: Readonly<Record<ProviderType, ProviderTransport>> = {
  ...OPENAI_FAMILY_TRANSPORTS,
  anthropic: ANTHROPIC_TRANSPORT,
  gemini: GEMINI_TRANSPORT,
  simulated: SIMULATED_TRANSPORT,
};
