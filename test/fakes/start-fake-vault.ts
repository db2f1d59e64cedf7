import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fake HashiCorp Vault speaking the documented KV v2 read and AppRole login APIs. */
export interface FakeVault {
  url: string;
  /** Sets a KV v2 secret's fields at `<mount>/<path>` (a new version, as `vault kv put` does). */
  put(mountAndPath: string, data: Record<string, string>): void;
  /** Makes every read answer 503 (sealed/unreachable) until set back. */
  setDown(down: boolean): void;
  /** Reads served, with the token and namespace each presented. */
  reads: Array<{ path: string; token?: string; namespace?: string }>;
  close(): Promise<void>;
}

export interface FakeVaultOptions {
  /** The token reads must present. */
  token: string;
  /** An AppRole that logs in to `token`. */
  appRole?: { roleId: string; secretId: string };
  /** When set, requests must carry this `X-Vault-Namespace`. */
  namespace?: string;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Starts a fake Vault on 127.0.0.1 at a free port. */
export async function startFakeVault(options: FakeVaultOptions): Promise<FakeVault> {
  const secrets = new Map<string, { data: Record<string, string>; version: number }>();
  const reads: FakeVault['reads'] = [];
  let down = false;
  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '/';
      const token = req.headers['x-vault-token'] as string | undefined;
      const namespace = req.headers['x-vault-namespace'] as string | undefined;
      if (options.namespace !== undefined && namespace !== options.namespace) return send(res, 403, { errors: ['permission denied'] });
      if (req.method === 'POST' && url === '/v1/auth/approle/login') {
        const body = await readJson(req);
        const role = options.appRole;
        if (!role || body.role_id !== role.roleId || body.secret_id !== role.secretId) return send(res, 400, { errors: ['invalid role or secret ID'] });
        return send(res, 200, { auth: { client_token: options.token, accessor: 'fake', policies: ['default'], lease_duration: 3600, renewable: true } });
      }
      const match = /^\/v1\/([^/]+)\/data\/(.+)$/.exec(url);
      if (req.method !== 'GET' || !match) return send(res, 404, { errors: [] });
      if (down) return send(res, 503, { errors: ['Vault is sealed'] });
      if (token !== options.token) return send(res, 403, { errors: ['permission denied'] });
      const path = `${match[1]}/${match[2]}`;
      reads.push({ path, ...(token ? { token } : {}), ...(namespace ? { namespace } : {}) });
      const secret = secrets.get(path);
      if (!secret) return send(res, 404, { errors: [] });
      return send(res, 200, {
        request_id: `req-${reads.length}`,
        lease_id: '',
        renewable: false,
        lease_duration: 0,
        data: { data: secret.data, metadata: { created_time: new Date().toISOString(), custom_metadata: null, deletion_time: '', destroyed: false, version: secret.version } },
        wrap_info: null,
        warnings: null,
        auth: null,
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    put(mountAndPath, data) {
      secrets.set(mountAndPath, { data, version: (secrets.get(mountAndPath)?.version ?? 0) + 1 });
    },
    setDown(value) {
      down = value;
    },
    reads,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
