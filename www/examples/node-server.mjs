// A Node server that processes uploads without stalling its event loop: the work runs on
// ossimg/node's pool of worker threads. No framework, only node:http.
//   node node-server.mjs            (PORT=8080 by default; PORT=0 picks a free port)
//   curl --data-binary @photo.jpg 'http://127.0.0.1:8080/process?x-oss-process=image/resize,w_300' -o small.jpg
//   curl http://127.0.0.1:8080/ping
import { createServer } from "node:http";
import { processImage } from "ossimg/node";

const MAX_UPLOAD = 20 * 1024 * 1024; // OSS's source limit

const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname === "/ping") return res.end("pong");
  if (req.method !== "POST" || url.pathname !== "/process") return res.writeHead(404).end();
  if (!(Number(req.headers["content-length"]) <= MAX_UPLOAD)) return res.writeHead(413).end("send a Content-Length up to 20 MB\n");
  try {
    // The request is a Node stream: processImage reads it, then a worker thread does the rest.
    const out = await processImage(req, url.searchParams.get("x-oss-process") ?? "image/resize,w_300");
    res.writeHead(200, { "content-type": out.mime }).end(out.kind === "json" ? out.text : out.bytes);
  } catch (err) {
    // OssImageError: the OSS code, HTTP status and EC.
    res.writeHead(err.status ?? 500, { "content-type": "application/json" });
    res.end(JSON.stringify({ code: err.code ?? "InternalError", ec: err.ec ?? null, message: err.message }));
  }
});

server.listen(Number(process.env.PORT ?? 8080), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
