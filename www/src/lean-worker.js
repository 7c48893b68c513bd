// Web Worker side of ossimg/client over the lean module (`createProcessor({ lean: true })`,
// or `new Worker(new URL("ossimg/lean/worker", import.meta.url), { type: "module" })`).
import init, * as api from "./lean.js";
import { serveWebWorker } from "./pool.js";

serveWebWorker(self, init, api);
