// A Cloudflare Worker: GET /img/<key>?x-oss-process=image/... from the R2 binding BUCKET
// (wrangler.toml: [[r2_buckets]] binding = "BUCKET"), like OSS.
import { createHandler } from "ossimg/cf-worker";

const images = createHandler({ prefix: "/img/", styles: { thumb: "image/resize,w_200" } });

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname.startsWith("/img/")) return images.fetch(request, env, ctx);
    return new Response("not here", { status: 404 });
  },
};
