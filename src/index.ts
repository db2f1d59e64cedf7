/**
 * Switchyard as a library: the same routing, failover and translation as the HTTP gateway, without HTTP.
 *
 *   const gateway = createGateway({ providers: { oai: { type: 'openai', api_key: process.env.OPENAI_API_KEY } } });
 *   const result = await gateway.chat({ model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
 */
export { createGateway, type Gateway, type ChatResult, type GatewayOptions } from './app/create-gateway.js';
export { startServer, type RunningServer } from './app/start-server.js';
export { parseConfigText, loadConfigFile, defaultConfig } from './config/load-config.js';
export type { ConfigFile } from './config/config-schema.js';
export type { GatewayConfig } from './config/gateway-config.js';
export * from './core/index.js';
