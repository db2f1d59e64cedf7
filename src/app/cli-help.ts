import { PROVIDER_TRANSPORTS } from '../providers/provider-transports.js';
import { DEFAULT_CONFIG_FILES } from './resolve-config-source.js';

const providerKeyVariables = Object.entries(PROVIDER_TRANSPORTS)
  .flatMap(([type, transport]) => (transport.apiKeyEnv ? [`${transport.apiKeyEnv} (${type})`] : []))
  .join(', ');

/** The text of `switchyard --help`: every command, config file name and environment variable the gateway reads. */
export const HELP = `switchyard — a self-hosted LLM gateway

Usage:
  switchyard start [--config FILE] [--port N] [--host H] [--workers N|auto]
                                                           serve until SIGINT/SIGTERM, then drain and exit;
                                                           --workers runs N processes sharing the port
  switchyard check [--config FILE]                         validate a config; print every error with its path
  switchyard compare --models a,b,c "prompt" [--url URL]  send one prompt to several models through a running
                                                           gateway (default $SWITCHYARD_URL or
                                                           http://127.0.0.1:4000) and print a table side by side
  switchyard feedback REQUEST_ID --score 0..1|true|false [--metric NAME] [--comment TEXT] [--url URL]
                                                           score a served request (its x-request-id) through a
                                                           running gateway; the bandit strategy learns from it
  switchyard keys create|list|show|revoke|rotate [--config FILE] …
                                                           manage virtual keys (switchyard keys, no verb, for usage)
  switchyard batch submit FILE.jsonl --model M [--delegate] [--max-cost USD] [--wait] [--url URL]
  switchyard batch status|cancel|download BATCH_ID [--watch] [--output FILE] [--errors FILE]
                                                           batch jobs on a running gateway (switchyard batch for
                                                           usage); a progress bar on a terminal
  switchyard --version                                     the installed version
  switchyard --help                                        this text

Send SIGHUP to reload the config file: routes, providers, timeouts and the catalogue change for the next requests.

Config file: --config FILE, else $SWITCHYARD_CONFIG, else the first of ${DEFAULT_CONFIG_FILES.join(', ')} in the
working directory, else the built-in default (the simulated provider, plus every provider whose key variable is set).

Environment:
  SWITCHYARD_CONFIG        config file path
  PORT, HOST               listening port and address (override server.port / server.host)
  LOG_LEVEL                fatal | error | warn | info | debug | trace | silent (overrides logging.level)
  SWITCHYARD_URL           the gateway \`switchyard compare\`, \`feedback\` and \`batch\` talk to
  SWITCHYARD_API_KEY       the virtual key \`switchyard batch\` presents
  SWITCHYARD_ADMIN_KEY     admin API key when the config sets no server.admin_key
  DATABASE_URL             postgres://… stores the request log in Postgres when the config keeps the default storage
  REDIS_URL                redis://… shares state (breakers) across replicas when the config keeps state.url memory://
  VAULT_ADDR, VAULT_TOKEN  HashiCorp Vault for vault:// api_key references (or VAULT_ROLE_ID + VAULT_SECRET_ID
                           for AppRole; VAULT_NAMESPACE for Vault Enterprise namespaces)
  AWS_REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER
                           AWS Secrets Manager for aws-sm:// references (credentials: the AWS SDK's standard chain)
  Provider keys, read by the built-in default config (a config file reads what its \${VAR} names):
                           ${providerKeyVariables}
  OpenTelemetry trace export (off unless an endpoint is set):
                           OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
                           OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_TRACES_HEADERS, OTEL_SERVICE_NAME,
                           OTEL_SDK_DISABLED

Endpoints besides the APIs: GET /health (liveness), GET /ready (readiness), GET /metrics (Prometheus).
`;
