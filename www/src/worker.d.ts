// "ossimg/worker" is a module Web Worker script with no exports. Messages:
//   in  { id, bytes, spec, options }   out { id, ok: true, result } | { id, ok: false, error }
export {};
