import fc from 'fast-check';
import { expect } from 'vitest';

/** What a zod schema's `safeParse` answers, as far as the comparison needs. */
interface SafeParse {
  safeParse(value: unknown): { success: boolean; data?: unknown };
}

export interface AgreementOptions {
  runs: number;
  /** Generated values the reader must take, so the comparison is not vacuous. */
  atLeast: number;
  /** `equal`: the schema's output deep-equals the reader's; `kept`: everything the schema keeps is in the value. */
  compare: 'equal' | 'kept';
}

/**
 * Asserts that a hand-written reader never takes a value its schema rejects, and that what it takes is what the schema
 * would hand on, over `runs` generated values of which at least `atLeast` reach the reader's accepting path.
 */
export function expectReaderAgreesWithSchema(values: fc.Arbitrary<unknown>, read: (value: unknown) => unknown, schema: SafeParse, options: AgreementOptions): void {
  let taken = 0;
  fc.assert(
    fc.property(values, (value) => {
      const fast = read(value);
      if (fast === undefined) return;
      taken++;
      const parsed = schema.safeParse(value);
      expect(parsed.success).toBe(true);
      if (options.compare === 'equal') expect(fast).toEqual(parsed.data);
      else expect(value).toMatchObject(parsed.data as object);
    }),
    { numRuns: options.runs },
  );
  expect(taken).toBeGreaterThan(options.atLeast);
}
