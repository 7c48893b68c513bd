// A page: the image work runs in a pool of Web Workers, never on the main thread.
import { createProcessor, toBlob } from "ossimg/client";

const images = createProcessor({ size: 2 });
const input = document.querySelector("input[type=file]");
input.addEventListener("change", async () => {
  const out = await images.process(input.files[0], "image/resize,w_300/format,webp");
  document.querySelector("img").src = URL.createObjectURL(toBlob(out));
});
