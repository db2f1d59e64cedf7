import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { parseConfigText } from '../../src/config/load-config.js';

const root = new URL('../../', import.meta.url).pathname;
const kubernetesDir = join(root, 'deploy/kubernetes');

/** The apiVersion each kind we ship must use (the stable, non-deprecated group versions). */
const API_VERSIONS: Record<string, string> = {
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PodDisruptionBudget: 'policy/v1',
};

const labels = z.record(z.string(), z.string());
const httpProbe = z.looseObject({ httpGet: z.looseObject({ path: z.string(), port: z.union([z.string(), z.number()]) }) });
const container = z.looseObject({
  name: z.string(),
  image: z.string(),
  ports: z.array(z.looseObject({ name: z.string(), containerPort: z.number().int() })),
  readinessProbe: z.looseObject({}),
  livenessProbe: z.looseObject({}),
  resources: z.looseObject({ requests: z.looseObject({}) }),
});
const workload = z.looseObject({
  spec: z.looseObject({
    selector: z.looseObject({ matchLabels: labels }),
    template: z.looseObject({
      metadata: z.looseObject({ labels }),
      spec: z.looseObject({ containers: z.array(container).min(1) }),
    }),
  }),
});
const manifest = z.looseObject({ apiVersion: z.string(), kind: z.string(), metadata: z.looseObject({ name: z.string(), labels: labels.optional() }) });
type Manifest = z.infer<typeof manifest>;

function loadManifests(): Manifest[] {
  return readdirSync(kubernetesDir)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(kubernetesDir, file), 'utf8')).map((document) => {
        expect(document.errors, file).toEqual([]);
        return manifest.parse(document.toJS());
      }),
    );
}

function find(manifests: Manifest[], kind: string, name: string): Record<string, unknown> {
  const found = manifests.find((item) => item.kind === kind && item.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/kubernetes`);
  return found;
}

function matches(selector: Record<string, string>, podLabels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => podLabels[key] === value);
}

describe('Kubernetes manifests in deploy/kubernetes', () => {
  const manifests = loadManifests();

  it('use the stable apiVersion of every kind and ship each kind the guide describes', () => {
    for (const item of manifests) expect(`${item.kind} ${item.apiVersion}`).toBe(`${item.kind} ${API_VERSIONS[item.kind] ?? '(unexpected kind)'}`);
    expect(new Set(manifests.map((item) => item.kind))).toEqual(new Set(Object.keys(API_VERSIONS)));
  });

  it('probe the gateway: readiness on /ready, liveness on /health, on its named container port', () => {
    const deployment = workload.parse(find(manifests, 'Deployment', 'switchyard'));
    const gateway = deployment.spec.template.spec.containers[0];
    expect(gateway?.ports).toContainEqual({ name: 'http', containerPort: 4000 });
    expect(httpProbe.parse(gateway?.readinessProbe).httpGet).toMatchObject({ path: '/ready', port: 'http' });
    expect(httpProbe.parse(gateway?.livenessProbe).httpGet).toMatchObject({ path: '/health', port: 'http' });
    expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
    expect(deployment.spec.template.spec).toMatchObject({ securityContext: { runAsNonRoot: true } });
  });

  it('point the Service, HPA and PodDisruptionBudget at the gateway pods, and Postgres and Redis have ready workloads', () => {
    const deployment = workload.parse(find(manifests, 'Deployment', 'switchyard'));
    const podLabels = deployment.spec.template.metadata.labels;
    const service = z.looseObject({ spec: z.looseObject({ selector: labels, ports: z.array(z.looseObject({ targetPort: z.string() })) }) });
    const gatewayService = service.parse(find(manifests, 'Service', 'switchyard'));
    expect(matches(gatewayService.spec.selector, podLabels)).toBe(true);
    expect(gatewayService.spec.ports.map((port) => port.targetPort)).toEqual(['http']);
    expect(find(manifests, 'HorizontalPodAutoscaler', 'switchyard')).toMatchObject({
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'switchyard' } },
    });
    const pdb = z.looseObject({ spec: z.looseObject({ selector: z.looseObject({ matchLabels: labels }) }) }).parse(find(manifests, 'PodDisruptionBudget', 'switchyard'));
    expect(matches(pdb.spec.selector.matchLabels, podLabels)).toBe(true);
    for (const [kind, name] of [['Deployment', 'switchyard-redis'], ['StatefulSet', 'switchyard-postgres']] as const) {
      const dependency = workload.parse(find(manifests, kind, name));
      const backing = service.parse(find(manifests, 'Service', name));
      expect(matches(backing.spec.selector, dependency.spec.template.metadata.labels)).toBe(true);
    }
  });

  it('ship a config the gateway accepts once the Secret provides its variables', () => {
    const config = z.looseObject({ data: z.object({ 'switchyard.yaml': z.string() }) }).parse(find(manifests, 'ConfigMap', 'switchyard-config'));
    const secret = z.looseObject({ stringData: z.record(z.string(), z.string()) }).parse(find(manifests, 'Secret', 'switchyard-secrets'));
    const result = parseConfigText(config.data['switchyard.yaml'], 'switchyard.yaml', secret.stringData);
    expect(result.issues).toEqual([]);
  });
});

/** `FROM image AS name` stages and the instructions after each, from a Dockerfile's text. */
function dockerStages(text: string): { name: string; instructions: string[] }[] {
  const stages: { name: string; instructions: string[] }[] = [];
  for (const line of text.replace(/\\\n/g, ' ').split('\n').map((raw) => raw.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) stages.push({ name: from[1] ?? String(stages.length), instructions: [] });
    else stages.at(-1)?.instructions.push(line);
  }
  return stages;
}

describe('Dockerfile', () => {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const stages = dockerStages(text);

  it('builds in one stage and runs in another as a non-root user, health-checked on /health', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
    const runtime = stages[1]?.instructions ?? [];
    expect(runtime.some((line) => /^COPY --from=build /.test(line))).toBe(true);
    expect(runtime.filter((line) => /^RUN /.test(line)).every((line) => !/npm|apt-get/.test(line))).toBe(true);
    const user = runtime.filter((line) => line.startsWith('USER ')).at(-1);
    expect(user).toBe('USER node');
    expect(runtime.indexOf(user ?? '')).toBeLessThan(runtime.findIndex((line) => line.startsWith('ENTRYPOINT')));
    expect(runtime.find((line) => line.startsWith('HEALTHCHECK'))).toMatch(/\/health/);
  });

  const engine = ['docker', 'podman'].find((tool) => {
    try {
      execFileSync(tool, ['info'], { stdio: 'ignore', timeout: 10_000 });
      return true;
    } catch {
      return false;
    }
  });
  if (engine === undefined) console.warn('skipping the Docker image build: no running container engine (docker or podman)');
  it.skipIf(engine === undefined)('builds with the container engine on this machine', () => {
    execFileSync(engine ?? 'docker', ['build', '-t', 'switchyard:test', root], { stdio: 'inherit', timeout: 900_000 });
  }, 900_000);
});

describe('systemd unit', () => {
  const unit = readFileSync(join(root, 'deploy/systemd/switchyard.service'), 'utf8');
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of unit.split('\n').map((raw) => raw.trim())) {
    const header = /^\[(\w+)\]$/.exec(line);
    if (header?.[1]) sections.set(header[1], (current = new Map()));
    else if (current && line !== '' && !line.startsWith('#')) {
      const at = line.indexOf('=');
      current.set(line.slice(0, at), line.slice(at + 1));
    }
  }

  it('starts the compiled CLI as an unprivileged user, stops with SIGTERM and restarts on failure', () => {
    expect([...sections.keys()]).toEqual(['Unit', 'Service', 'Install']);
    const service = sections.get('Service');
    expect(service?.get('ExecStart')).toMatch(/dist\/cli\.js start --config \S+/);
    expect(service?.get('User')).toBe('switchyard');
    expect(service?.get('KillSignal')).toBe('SIGTERM');
    expect(service?.get('Restart')).toBe('on-failure');
    expect(sections.get('Install')?.get('WantedBy')).toBe('multi-user.target');
  });
});
