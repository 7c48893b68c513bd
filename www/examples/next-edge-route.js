// Next.js app router, edge runtime: app/api/edge/route.js. POST an image, get it resized.
import { OssImageError, processImage, toResponse } from "ossimg";

export const runtime = "edge";

export async function POST(request) {
  const spec = new URL(request.url).searchParams.get("x-oss-process") ?? "image/resize,w_300";
  try {
    return toResponse(processImage(new Uint8Array(await request.arrayBuffer()), spec));
  } catch (err) {
    if (!(err instanceof OssImageError)) throw err;
    return Response.json({ code: err.code, ec: err.ec, message: err.message }, { status: err.status });
  }
}
