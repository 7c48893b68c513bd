// The deployable Worker: the handler lives in the package ("ossimg/cf-worker"), so the
// same code runs here, in tests and in anyone's own Worker. Configuration: wrangler.toml
// (vars) and `wrangler secret put` (keys). The text-mark fonts ship in this bundle (the
// `[[rules]]` of wrangler.toml make each .ttf an ArrayBuffer module) and are imported on the
// first text watermark only; FONTS_PREFIX can override them with objects of the origin.
import { createHandler } from "ossimg/cf-worker";

export default createHandler({
  fonts: async () => ({
    "wqy-microhei": (await import("ossimg/fonts/wqy-microhei.ttf")).default,
    "dejavu-sans": (await import("ossimg/fonts/dejavu-sans.ttf")).default,
  }),
});
