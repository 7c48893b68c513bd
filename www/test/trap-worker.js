// A test-only module worker (browser.test.mjs): the package's worker.js, plus one spec it
// answers by trapping the wasm instance inside a call, as a panic would. The package's own
// worker obeys no such message, so no page can trap it; this script reaches the instance
// through the internal core.js and glue modules, the very ones worker.js runs on.
import "/pkg/worker.js";
import init from "/pkg/index.js";
import { callWasm } from "/pkg/core.js";
import * as glue from "/pkg/ossimg.js";

/** The spec this worker answers by trapping (browser.test.mjs sends it). */
const TRAP_SPEC = "test/trap";

const serve = self.onmessage;
self.onmessage = async (event) => {
  if (event.data?.spec !== TRAP_SPEC) return serve(event);
  await init(); // memoised: the instance worker.js waits for
  try {
    callWasm(glue, (raw) => raw.__ossimgTrap());
  } catch (err) {
    self.postMessage({ id: event.data.id, ok: false, error: err.toJSON() });
  }
};
