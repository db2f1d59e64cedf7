import { describe, expect, it } from 'vitest';
import { commandLineSets } from './v8-command-line.js';

describe('which V8 flags the node command line already set', () => {
  it('sees a flag on, off or with a value, in either spelling, and nothing else', () => {
    expect(commandLineSets('heap-growing-percent', ['--heap-growing-percent=300'])).toBe(true);
    expect(commandLineSets('heap-growing-percent', ['--heap_growing_percent=0'])).toBe(true);
    expect(commandLineSets('allocation-site-pretenuring', ['--no-allocation-site-pretenuring'])).toBe(true);
    expect(commandLineSets('allocation-site-pretenuring', ['--allocation_site_pretenuring'])).toBe(true);
    expect(commandLineSets('heap-growing-percent', ['--no-warnings', '--heap-growing-percent-other=1'])).toBe(false);
    expect(commandLineSets('heap-growing-percent', ['--max-old-space-size=100', '--heap-growing', '--no-heap-growing-percent-x'])).toBe(false);
  });
});
