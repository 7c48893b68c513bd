// worker_threads side of ossimg/node: the synchronous Node entry (node.js, instantiated on
// import, fonts read from the package on the first text mark) answering pool.js's protocol.
// A trap is recovered inside node.js (the next call runs on a fresh instance); a worker that
// dies is replaced by the pool.
import { parentPort } from "node:worker_threads";
import * as api from "./node.js";
import { answer } from "./pool.js";

parentPort.on("message", (data) => answer(api, data, (message, transfer) => parentPort.postMessage(message, transfer)));
