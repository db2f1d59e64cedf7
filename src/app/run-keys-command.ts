import { parseArgs } from 'node:util';
import { createGovernanceStore } from '../backends/keys/create-governance-store.js';
import { StoreKeyAdministration } from '../backends/keys/store-key-administration.js';
import { keySpecSchema, toKeySpec } from '../limits/parse-key-spec.js';
import type { KeySpec, PublicVirtualKey } from '../ports/virtual-key.js';
import { loadEffectiveConfig } from './resolve-config-source.js';

const USAGE = `Usage:
  switchyard keys create --name NAME [--owner O] [--team T] [--models GLOB,GLOB] [--rpm N] [--tpm N]
                         [--daily-usd N] [--monthly-usd N] [--total-usd N] [--expires ISO-TIME] [--tag k=v ...]
  switchyard keys list
  switchyard keys show ID|PREFIX
  switchyard keys revoke ID|PREFIX
  switchyard keys rotate ID|PREFIX
Keys live in the config's storage.url (SQLite by default, Postgres in production); a running gateway sees changes
within a second.`;

function numberFlag(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

function describe(key: PublicVirtualKey): string {
  const state = key.revokedAt !== undefined ? 'revoked' : key.expiresAt !== undefined && key.expiresAt <= Date.now() ? 'expired' : 'active';
  return `${key.id}  ${key.prefix}…  ${state}  ${key.name}${key.team ? `  team=${key.team}` : ''}`;
}

/** Builds the admin API's create body from CLI flags, so both paths validate alike. */
function specFromFlags(values: Record<string, string | string[] | boolean | undefined>): unknown {
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const budget = { daily_usd: numberFlag(text('daily-usd')), monthly_usd: numberFlag(text('monthly-usd')), total_usd: numberFlag(text('total-usd')) };
  const tags = Object.fromEntries(((values.tag as string[] | undefined) ?? []).map((pair) => [pair.split('=')[0] ?? pair, pair.slice(pair.indexOf('=') + 1)]));
  return JSON.parse(
    JSON.stringify({
      name: text('name'),
      owner: text('owner'),
      team: text('team'),
      models: text('models')?.split(',').map((glob) => glob.trim()),
      rpm: numberFlag(text('rpm')),
      tpm: numberFlag(text('tpm')),
      budget: Object.values(budget).some((v) => v !== undefined) ? budget : undefined,
      expires_at: text('expires'),
      tags: Object.keys(tags).length > 0 ? tags : undefined,
    }),
  ) as unknown;
}

/** `switchyard keys …`: manages virtual keys in the configured store; prints a new secret exactly once. */
export async function runKeysCommand(argv: string[], configPath: string | undefined): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      owner: { type: 'string' },
      team: { type: 'string' },
      models: { type: 'string' },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      'daily-usd': { type: 'string' },
      'monthly-usd': { type: 'string' },
      'total-usd': { type: 'string' },
      expires: { type: 'string' },
      tag: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
  });
  const [verb, target] = positionals;
  if (!verb || !['create', 'list', 'show', 'revoke', 'rotate'].includes(verb)) {
    console.error(USAGE);
    return 2;
  }
  const loaded = await loadEffectiveConfig(configPath, process.env, process.cwd());
  if (!loaded.config) {
    for (const issue of loaded.issues) console.error(`error: ${issue.path || '(root)'}: ${issue.message}`);
    return 1;
  }
  const store = await createGovernanceStore(loaded.config.storage.url);
  try {
    await store.migrate();
    const keys = new StoreKeyAdministration({ store, audit: store });
    const print = (value: unknown, text: string): void => console.log(values.json ? JSON.stringify(value) : text);
    if (verb === 'create') {
      const parsed = keySpecSchema.safeParse(specFromFlags(values));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        console.error(`error: --${issue?.path.join('.').replace('_usd', '-usd').replace('expires_at', 'expires') ?? 'name'}: ${issue?.message ?? 'invalid'}\n\n${USAGE}`);
        return 2;
      }
      const issued = await keys.create(toKeySpec(parsed.data) as KeySpec, 'cli');
      print({ ...issued.key, secret: issued.secret }, `${describe(issued.key)}\n\n  ${issued.secret}\n\nStore this key now: it is shown only once.`);
      return 0;
    }
    if (verb === 'list') {
      const list = await keys.list();
      print(list, list.length === 0 ? 'no keys' : list.map(describe).join('\n'));
      return 0;
    }
    if (!target) {
      console.error(`error: keys ${verb} needs a key id or prefix\n\n${USAGE}`);
      return 2;
    }
    if (verb === 'rotate') {
      const issued = await keys.rotate(target, 'cli');
      if (!issued) return notFound(target);
      print({ ...issued.key, secret: issued.secret }, `${describe(issued.key)}\n\n  ${issued.secret}\n\nThe old secret stopped working. Store this one now: it is shown only once.`);
      return 0;
    }
    const key = verb === 'show' ? await keys.show(target) : await keys.revoke(target, 'cli');
    if (!key) return notFound(target);
    print(key, verb === 'show' ? JSON.stringify(key, null, 2) : describe(key));
    return 0;
  } finally {
    await store.close();
  }
}

function notFound(target: string): number {
  console.error(`error: no virtual key with id or prefix ${target}`);
  return 1;
}
