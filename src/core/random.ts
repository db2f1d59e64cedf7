/** A source of uniform numbers in [0, 1); injected so routing and fault injection are seedable in tests. */
export interface Random {
  next(): number;
}

/** A small fast seeded PRNG (mulberry32): deterministic for a given seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Math.random as a Random, for production. */
export const systemRandom: Random = { next: () => Math.random() };
