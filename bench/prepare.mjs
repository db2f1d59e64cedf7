// Makes `npm run bench` work from a fresh clone: installs what is missing, builds Switchyard and the harness.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = join(benchDir, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cwd, args) {
  execFileSync(npm, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

if (!existsSync(join(rootDir, 'node_modules', 'typescript'))) {
  console.error('bench: installing the gateway\'s dependencies (npm ci)…');
  run(rootDir, ['ci', '--no-audit', '--no-fund']);
}
// Every dependency the harness's package.json names (optional ones aside: Portkey may fail to install and is skipped).
const manifest = JSON.parse(readFileSync(join(benchDir, 'package.json'), 'utf8'));
const needed = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
if (needed.some((name) => !existsSync(join(benchDir, 'node_modules', name, 'package.json')))) {
  console.error('bench: installing the harness\'s dependencies (npm ci in bench/)…');
  run(benchDir, ['ci', '--no-audit', '--no-fund']);
}
console.error('bench: building Switchyard (npm run build)…');
try {
  run(rootDir, ['run', '--silent', 'build']);
} catch {
  // tsc still emits on type errors; measure that output rather than nothing, but say so.
  if (!existsSync(join(rootDir, 'dist', 'app', 'start-server.js'))) {
    console.error('bench: the build failed and left no dist/; fix it and run again');
    process.exit(1);
  }
  console.error('bench: warning: the build reported type errors; benchmarking the JavaScript it emitted anyway');
}
execFileSync(process.execPath, [join(rootDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(benchDir, 'tsconfig.json')], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
