import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probeScript, startGatewaySource } from '../../test/support/probe-script.js';
import { heldTickObject, holdTickObjectMaps } from './tick-object-maps.js';

const root = resolve(import.meta.dirname, '../..');
const tickMapsUrl = pathToFileURL(resolve(root, 'dist/app/tick-object-maps.js')).href;

/**
 * Run in a fresh process: starts a gateway (or not, with START_GATEWAY=0), lets every pending tick run, runs full
 * collections with no tick pending (what an idle spell brings), then schedules a tick and prints whether the gateway
 * holds a tick object and whether the new tick object has the hidden class of the held one, that is whether the class
 * V8 remembered at `nextTick`'s literal survived the collections.
 */
const PROBE = `
import { createHook } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
setFlagsFromString('--expose-gc');
setFlagsFromString('--allow-natives-syntax');
const gc = runInNewContext('gc');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
const { heldTickObject } = await import(${JSON.stringify(tickMapsUrl)});
${startGatewaySource(root)}await new Promise((resolve) => setTimeout(resolve, 20));
for (let i = 0; i < 3; i++) gc();
let fresh;
const hook = createHook({ init(_id, type, _trigger, resource) { if (type === 'TickObject') fresh ??= resource; } }).enable();
process.nextTick(() => {});
hook.disable();
const held = heldTickObject();
console.log(JSON.stringify({ held: held !== undefined, sameClass: held !== undefined && fresh !== undefined && haveSameMap(held, fresh) }));
process.exit(0);
`;

function runProbe(file: string, startGateway: boolean): Promise<{ held: boolean; sameClass: boolean }> {
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, [file], { env: { ...process.env, START_GATEWAY: startGateway ? '1' : '0' } }, (error, stdout) => {
      if (error) reject(error);
      else resolvePromise(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { held: boolean; sameClass: boolean });
    });
  });
}

describe('holdTickObjectMaps', () => {
  it('holds one of Node\'s own tick objects: its callback and the two async-id symbols nextTick gives it', () => {
    holdTickObjectMaps();
    const held = heldTickObject();
    holdTickObjectMaps();
    expect(heldTickObject()).toBe(held);
    expect(held).toHaveProperty('callback');
    expect(Object.getOwnPropertySymbols(held).map(String)).toEqual(['Symbol(async_id_symbol)', 'Symbol(trigger_async_id_symbol)']);
  });

  const probe = probeScript('switchyard-tick-maps-', PROBE);

  it('a started gateway holds a tick object, so tick objects keep their hidden class through full collections', async () => {
    expect(await runProbe(probe(), true)).toEqual({ held: true, sameClass: true });
  }, 30_000);

  it('holds nothing in a process that never started one', async () => {
    expect(await runProbe(probe(), false)).toEqual({ held: false, sameClass: false });
  }, 30_000);
});
