// A small static file server for loopback use (scripts/serve.sh and the browser tests):
// `routes` maps URL prefixes to folders; paths that leave their folder are 404.
import { createReadStream, realpathSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".bmp": "image/bmp",
  ".tif": "image/tiff",
  ".ttf": "font/ttf",
  ".md": "text/markdown; charset=utf-8",
};

/** The file under `base` for `rel`, or null. Symlinks are followed (the example bucket uses them). */
function locate(base, rel) {
  const root = resolve(base);
  const path = resolve(root, "." + sep + rel);
  if (path !== root && !path.startsWith(root + sep)) return null;
  try {
    const target = statSync(path).isDirectory() ? join(path, "index.html") : path;
    return statSync(target).isFile() ? realpathSync(target) : null;
  } catch {
    return null;
  }
}

/**
 * Listens on 127.0.0.1:`port` (0: any free port). `routes`: [[prefix, folder], ...],
 * longest prefix first. `onRequest(path, req, res)` sees every request first and answers
 * it itself by returning true (tests add generated objects that way).
 */
export async function serveStatic(routes, { port = 0, onRequest } = {}) {
  const server = createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      return res.writeHead(400).end();
    }
    if (onRequest?.(pathname, req, res)) return;
    const route = routes.find(([prefix]) => pathname.startsWith(prefix));
    const file = route && locate(route[1], pathname.slice(route[0].length));
    if (!file || (req.method !== "GET" && req.method !== "HEAD")) return res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    const { size, mtime } = statSync(file);
    res.writeHead(200, { "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream", "content-length": size, "last-modified": mtime.toUTCString(), "cache-control": "no-cache" });
    if (req.method === "HEAD") return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise((ok, fail) => server.once("error", fail).listen(port, "127.0.0.1", ok));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}
