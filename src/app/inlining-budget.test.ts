import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GATEWAY_INLINING_BUDGET, widenInliningBudget } from './inlining-budget.js';

describe("the gateway's inlining budget", () => {
  it("raises V8's cumulative inlining budget when the command line leaves it alone", () => {
    const set: string[] = [];
    widenInliningBudget(['--no-warnings'], (flags) => set.push(flags));
    expect(set).toEqual([`--max-inlined-bytecode-size-cumulative=${GATEWAY_INLINING_BUDGET}`]);
  });

  it('keeps what the node command line asks for, in either spelling', () => {
    const set: string[] = [];
    widenInliningBudget(['--max-inlined-bytecode-size-cumulative=920'], (flags) => set.push(flags));
    widenInliningBudget(['--max_inlined_bytecode_size_cumulative=1500'], (flags) => set.push(flags));
    expect(set).toEqual([]);
  });

  it("names a flag this Node's V8 has (an unknown one would be ignored without a word)", () => {
    expect(execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' })).toContain('--max-inlined-bytecode-size-cumulative ');
  });
});
