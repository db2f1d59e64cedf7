import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { keyChangesSchema, keySpecSchema, toKeySpec } from '../../limits/parse-key-spec.js';
import type { AuditLog } from '../../ports/audit-log.js';
import { SHOWN_PREFIX_LENGTH, VIRTUAL_KEY_PREFIX, type KeyAdministration, type KeySpec } from '../../ports/virtual-key.js';
import { boundText } from '../../core/index.js';

const ACTOR = 'admin-api';
const idParams = z.object({ id: z.string().min(1).max(200) });
const auditQuery = z.object({
  action: z.string().min(1).max(100).optional(),
  target: z.string().min(1).max(200).optional(),
  from: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

function invalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  const issue = error.issues[0];
  const where = issue?.path.map(String).join('.') || 'body';
  return reply.code(400).send({ error: { code: 'invalid_request', message: `${where}: ${issue?.message ?? 'invalid'}` } });
}

const PASTED_SECRET = new RegExp(`${VIRTUAL_KEY_PREFIX}[A-Za-z0-9_-]+`, 'g');

/** Client text as an error may quote it: bounded, and a virtual key secret pasted in it shown as its prefix only. */
export function quotable(text: string): string {
  const masked = text.replace(PASTED_SECRET, (secret) => (secret.length > SHOWN_PREFIX_LENGTH ? `${secret.slice(0, SHOWN_PREFIX_LENGTH)}…` : secret));
  return boundText(masked, 200);
}

function notFound(reply: FastifyReply, id: string): FastifyReply {
  return reply.code(404).send({ error: { code: 'not_found', message: `No virtual key with id or prefix ${quotable(id)}` } });
}

/**
 * `/admin/keys` (create, list, show, update, revoke, rotate) and `/admin/audit`, inside the admin scope (the admin key
 * is checked before these run). A key's secret appears only in the create and rotate answers.
 */
export function registerAdminKeyRoutes(scope: FastifyInstance, keys: KeyAdministration, audit: AuditLog): void {
  scope.post('/keys', async function createKey(request, reply) {
    const parsed = keySpecSchema.safeParse(request.body ?? {});
    if (!parsed.success) return invalid(reply, parsed.error);
    const issued = await keys.create(toKeySpec(parsed.data) as KeySpec, ACTOR);
    return reply.code(201).send({ data: issued.key, secret: issued.secret });
  });

  scope.get('/keys', async function listKeys() {
    return { data: await keys.list() };
  });

  scope.get('/keys/:id', async function showKey(request, reply) {
    const { id } = idParams.parse(request.params);
    const key = await keys.show(id);
    return key ? { data: key } : notFound(reply, id);
  });

  scope.patch('/keys/:id', async function updateKey(request, reply) {
    const { id } = idParams.parse(request.params);
    const parsed = keyChangesSchema.safeParse(request.body ?? {});
    if (!parsed.success) return invalid(reply, parsed.error);
    const key = await keys.update(id, toKeySpec(parsed.data), ACTOR);
    return key ? { data: key } : notFound(reply, id);
  });

  scope.post('/keys/:id/revoke', async function revokeKey(request, reply) {
    const { id } = idParams.parse(request.params);
    const key = await keys.revoke(id, ACTOR);
    return key ? { data: key } : notFound(reply, id);
  });

  scope.post('/keys/:id/rotate', async function rotateKey(request, reply) {
    const { id } = idParams.parse(request.params);
    const issued = await keys.rotate(id, ACTOR);
    return issued ? { data: issued.key, secret: issued.secret } : notFound(reply, id);
  });

  scope.get('/audit', async function listAudit(request, reply) {
    const parsed = auditQuery.safeParse(request.query);
    if (!parsed.success) return invalid(reply, parsed.error);
    const { action, target, from, limit } = parsed.data;
    return {
      data: await audit.query({
        ...(action === undefined ? {} : { action }),
        ...(target === undefined ? {} : { target }),
        ...(from === undefined ? {} : { from }),
        ...(limit === undefined ? {} : { limit }),
      }),
    };
  });
}
