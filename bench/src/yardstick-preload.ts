import { holdTickObjectMaps } from '../../dist/app/tick-object-maps.js';

// Preloaded (`--import`) into the bench's own Node servers (the bare proxy, the floors, the fake upstream): the hold
// Switchyard's `startServer` makes for itself, so a yardstick is not left with a slowdown the gateway avoids
// (docs/benchmarks.md, "Node's tick objects").
holdTickObjectMaps();
