// Next.js app router, Node runtime: app/api/node/route.js. The work runs on ossimg/node's
// worker threads (next.config.mjs: serverExternalPackages: ["ossimg"]).
import { OssImageError, processImage, toResponse } from "ossimg/node";

export const runtime = "nodejs";

export async function POST(request) {
  const spec = new URL(request.url).searchParams.get("x-oss-process") ?? "image/resize,w_300";
  try {
    return toResponse(await processImage(request, spec));
  } catch (err) {
    if (!(err instanceof OssImageError)) throw err;
    return Response.json({ code: err.code, ec: err.ec, message: err.message }, { status: err.status });
  }
}
