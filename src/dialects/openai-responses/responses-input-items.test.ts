import { describe, expect, it } from 'vitest';
import { outputAsInputItems, toStoredInputItems } from './responses-input-items.js';

describe('toStoredInputItems', () => {
  it('keeps a string input as one user message with a typed text part and an id', () => {
    expect(toStoredInputItems({ model: 'm', input: 'hi' }, 'req1')).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }], id: 'msg_req1_in0' },
    ]);
  });

  it('gives every item an id unless it has one, and leaves encrypted reasoning out', () => {
    const items = toStoredInputItems(
      {
        input: [
          { role: 'assistant', content: 'earlier answer' },
          { type: 'reasoning', id: 'rs_kept', summary: [{ type: 'summary_text', text: 'why' }], encrypted_content: 'opaque-blob' },
          { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
          { type: 'function_call_output', call_id: 'c1', output: 'done' },
        ],
      },
      'req2',
    );
    expect(items.map((item) => item.id)).toEqual(['msg_req2_in0', 'rs_kept', 'fc_req2_in2', 'fco_req2_in3']);
    expect(items[0]).toMatchObject({ type: 'message', content: [{ type: 'output_text', text: 'earlier answer' }] });
    expect(JSON.stringify(items)).not.toContain('opaque-blob');
  });

  it('yields nothing for input it cannot read', () => {
    expect(toStoredInputItems({ input: 42 }, 'r')).toEqual([]);
    expect(toStoredInputItems('not an object', 'r')).toEqual([]);
  });
});

describe('outputAsInputItems', () => {
  it('reads the output items of a stored response', () => {
    expect(outputAsInputItems({ output: [{ type: 'message', id: 'msg_1' }, 'junk'] })).toEqual([{ type: 'message', id: 'msg_1' }]);
    expect(outputAsInputItems({})).toEqual([]);
  });
});
