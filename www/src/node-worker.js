// worker_threads side of ossimg/node: the synchronous Node entry (node.js, instantiated on
// import, fonts read from the package on the first text mark) answering pool.js's protocol.
// A trap is recovered inside node.js (the next call runs on a fresh instance); a worker that
// dies is replaced by the pool.
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import * as api from "./node.js";
import { answer } from "./pool.js";

// On Linux a thread has its own nice value, and os.setPriority(n) (pid 0) sets the calling
// thread's: image work then yields the CPU to the event loop thread whenever both want it.
// Elsewhere it would renice the whole process, so it is left alone there.
if (workerData?.nice && globalThis.process.platform === "linux") {
  try {
    setPriority(workerData.nice);
  } catch {
    // Not allowed here (a container policy): run at the normal priority.
  }
}

parentPort.on("message", (data) => answer(api, data, (message, transfer) => parentPort.postMessage(message, transfer)));
