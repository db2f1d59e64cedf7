import { holdTickObjectMaps } from '../../dist/app/tick-object-maps.js';

// Preloaded (`--import`) into the bench's own Node servers (the bare proxy, the floors, the fake upstream): the hold
// Switchyard's `startServer` makes for itself, so that no yardstick's ticks go through V8's runtime for the rest of a
// run after a full collection in an idle moment, a slowdown the gateway no longer has.
holdTickObjectMaps();
