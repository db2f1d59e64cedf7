import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { boundText, GatewayError } from '../core/index.js';

/** Host names a loopback-bound gateway answers to when `server.allowed_hosts` is not set. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Whether a listen address only accepts connections from this machine. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

/** The host part of a Host header or an origin's authority, lower case, without the port. */
function hostName(authority: string): string {
  const lower = authority.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.indexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}

export interface CrossSiteSettings {
  /** Configured Host allow-list; undefined means the default for `listenHost`. */
  allowedHosts: string[] | undefined;
  corsOrigins: string[];
  listenHost: string | undefined;
}

/**
 * Refuses requests whose Host is not on the allow-list (a DNS-rebinding page reaches the gateway under its own name)
 * and browser requests from origins the config does not name; answers CORS preflights and adds CORS headers for the
 * origins it does name. `refuse` records and answers a refused request.
 */
export function registerCrossSiteGuard(
  app: FastifyInstance,
  settings: CrossSiteSettings,
  refuse: (request: FastifyRequest, reply: FastifyReply, failure: GatewayError) => void,
): void {
  const configured = settings.allowedHosts ?? (settings.listenHost !== undefined && isLoopback(settings.listenHost) ? LOOPBACK_HOSTS : undefined);
  const hosts = configured ? new Set(configured) : undefined;
  const origins = new Set(settings.corsOrigins);
  app.addHook('onRequest', function guardCrossSite(request, reply, done) {
    const { host, origin } = request.headers;
    if (hosts && host !== undefined && !hosts.has(hostName(host))) {
      refuse(request, reply, new GatewayError('permission_denied', `Host ${JSON.stringify(boundText(host, 100))} is not allowed (server.allowed_hosts)`));
      return;
    }
    if (origin === undefined) {
      done();
      return;
    }
    if (origins.has(origin) || origins.has('*')) {
      void reply.header('access-control-allow-origin', origin).header('vary', 'origin');
      if (request.method === 'OPTIONS') {
        const asked = request.headers['access-control-request-headers'];
        void reply
          .code(204)
          .header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS')
          .header('access-control-allow-headers', typeof asked === 'string' ? asked : 'authorization, content-type')
          .header('access-control-max-age', '600')
          .send();
        return;
      }
      done();
      return;
    }
    // A page served by this gateway itself (its own origin) is not cross-site.
    if (host !== undefined && /^https?:\/\//.test(origin) && origin.slice(origin.indexOf('//') + 2).toLowerCase() === host.toLowerCase()) {
      done();
      return;
    }
    refuse(request, reply, new GatewayError('permission_denied', `Origin ${JSON.stringify(boundText(origin, 100))} is not allowed (server.cors.origins)`));
  });
}
