// "ossimg/worker" is a module Web Worker script with no exports; ossimg/client starts it.
// Its messages are the protocol of pool.js (process, probe, parse, version, check):
//   in  { id, kind, bytes | pixels, spec, options }   out { id, ok: true, result } | { id, ok: false, error }
export {};
