import type { GatewayConfig } from '../config/gateway-config.js';

/** Whether `deployment` (`provider/model`) is a target of an alias in `config`, i.e. a name the operator chose. */
export function isConfiguredDeployment(config: GatewayConfig, deployment: string): boolean {
  for (const route of config.models.values()) {
    for (const target of route.targets) if (`${target.providerId}/${target.model}` === deployment) return true;
  }
  return false;
}
