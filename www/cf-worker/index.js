// The deployable Worker: the handler lives in the package ("ossimg/cf-worker"), so the
// same code runs here, in tests and in anyone's own Worker. Configuration: wrangler.toml.
export { default } from "ossimg/cf-worker";
