/**
 * Config lines for under `providers:`: a simulated provider `sim` whose model `priced` echoes and reports 10 input and
 * 5 output tokens, priced at $1,000 / $2,000 per million, so each request costs $0.02.
 */
export const PRICED_SIM_PROVIDER = `  sim:
    type: simulated
    simulated:
      models:
        priced: { behavior: echo, usage: { input: 10, output: 5 } }
    models:
      priced: { price: { input: 1000, output: 2000 } }`;
