// Web Worker side of ossimg/client (a module worker):
//   new Worker(new URL("ossimg/worker", import.meta.url), { type: "module" })
// Answers the protocol of pool.js (process, probe, parse, check). It always replies, also
// when the module fails to load or the instance traps (the next call then runs on a fresh
// instance). Text marks: the packaged fonts are fetched first.
import init, * as api from "./index.js";
import { serveWebWorker } from "./pool.js";

serveWebWorker(self, init, api);
