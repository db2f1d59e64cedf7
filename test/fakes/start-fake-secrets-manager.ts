import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fake AWS Secrets Manager speaking the documented GetSecretValue JSON-1.1 API. */
export interface FakeSecretsManager {
  url: string;
  /** Stores a secret's SecretString (a new version). */
  put(secretId: string, secretString: string): void;
  /** Secret ids requested, with whether the request was SigV4-signed. */
  calls: Array<{ secretId: string; signed: boolean }>;
  close(): Promise<void>;
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts a fake Secrets Manager endpoint on 127.0.0.1 at a free port. */
export async function startFakeSecretsManager(): Promise<FakeSecretsManager> {
  const secrets = new Map<string, { value: string; version: number }>();
  const calls: FakeSecretsManager['calls'] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = JSON.parse((await readText(req)) || '{}') as { SecretId?: string };
      const reply = (status: number, payload: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
        return reply(400, { __type: 'UnknownOperationException', message: 'unknown operation' });
      }
      const secretId = body.SecretId ?? '';
      calls.push({ secretId, signed: /^AWS4-HMAC-SHA256 /.test(req.headers.authorization ?? '') });
      const secret = secrets.get(secretId);
      if (!secret) return reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      return reply(200, {
        ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secretId}-AbCdEf`,
        Name: secretId,
        VersionId: `v${secret.version}`,
        SecretString: secret.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: Date.now() / 1000,
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    put(secretId, value) {
      secrets.set(secretId, { value, version: (secrets.get(secretId)?.version ?? 0) + 1 });
    },
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
