/**
 * Layer rules for src/ (docs/architecture.md). An import goes to a folder of the same rank or lower; between two
 * folders of the same rank only the edges in SAME_RANK are allowed, and those must not form a cycle, so no cycle
 * between folders can exist. `npm run lint` runs this with `depcruise src`.
 */

/** Each top-level folder of src/ and its rank; `cli.ts` and `index.ts` at the root are rank 6 like `app`. */
const RANK = {
  core: 0,
  wire: 1,
  ports: 1,
  catalog: 1,
  dialects: 2,
  providers: 2,
  config: 2,
  routing: 3,
  limits: 3,
  engine: 4,
  backends: 4,
  observability: 4,
  http: 5,
  app: 6,
};

/** The imports allowed between different folders of one rank: from → to. */
const SAME_RANK = [
  ['config', 'providers'],
  // engine's tests drive it with the real in-memory state store.
  ['engine', 'backends'],
  // limits decide over routing's plans (skip reasons) and estimate tokens with its tokenizer; routing never asks limits.
  ['limits', 'routing'],
];

function assertAcyclic(edges) {
  const next = new Map();
  for (const [from, to] of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const visiting = new Set();
  const done = new Set();
  const visit = (folder, path) => {
    if (done.has(folder)) return;
    if (visiting.has(folder)) throw new Error(`SAME_RANK has a cycle: ${[...path, folder].join(' → ')}`);
    visiting.add(folder);
    for (const to of next.get(folder) ?? []) visit(to, [...path, folder]);
    visiting.delete(folder);
    done.add(folder);
  };
  for (const folder of next.keys()) visit(folder, []);
  for (const [from, to] of edges) {
    if (RANK[from] !== RANK[to]) throw new Error(`SAME_RANK lists ${from} → ${to}, which are not of one rank`);
  }
}
assertAcyclic(SAME_RANK);

const folders = Object.keys(RANK);
const alt = (names) => `^src/(${names.join('|')})/`;

function forbiddenFor(folder) {
  const higher = folders.filter((other) => RANK[other] > RANK[folder]);
  const sameNotAllowed = folders.filter(
    (other) =>
      other !== folder &&
      RANK[other] === RANK[folder] &&
      !SAME_RANK.some(([from, to]) => from === folder && to === other),
  );
  const rules = [];
  const build = (name, targets, comment) => {
    if (targets.length === 0) return;
    rules.push({ name, severity: 'error', comment, from: { path: `^src/${folder}/` }, to: { path: alt(targets) } });
  };
  build(`rank-${folder}`, higher, `${folder} (rank ${RANK[folder]}) imports only folders of its rank or lower`);
  build(`same-rank-${folder}`, sameNotAllowed, `${folder} imports no folder of its own rank unless SAME_RANK allows it`);
  return rules;
}

export default {
  forbidden: [
    ...folders.flatMap(forbiddenFor),
    {
      name: 'unknown-folder',
      severity: 'error',
      comment: 'every folder of src/ has a rank in .dependency-cruiser.mjs',
      from: { path: '^src/[^/]+/', pathNot: alt(folders) },
      to: {},
    },
    {
      name: 'root-entry-imported',
      severity: 'error',
      comment: 'cli.ts and index.ts are entry points (rank 6): nothing in src imports them',
      from: { path: '^src/' },
      to: { path: '^src/(cli|index)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
