import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

// Usage: node bench/dist/flame-graph.js FILE.cpuprofile [OUT.html]
// Renders a `--cpu-prof` profile as an interactive flame graph (a self-contained HTML page) with 0x, a devDependency of
// bench/; the page is written beside the profile unless OUT.html is given.

const [file, out] = process.argv.slice(2);
if (!file) throw new Error('usage: flame-graph FILE.cpuprofile [OUT.html]');
const profile = resolve(file);
const html = resolve(out ?? profile.replace(/\.cpuprofile$/, '') + '.html');
const zeroX = join(dirname(createRequire(import.meta.url).resolve('0x/package.json')), 'cmd.js');
execFileSync(process.execPath, [zeroX, '--visualize-cpu-profile', profile, '--output-html', html, '--title', profile.replace(/^.*\//, '')], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
console.log(html);
