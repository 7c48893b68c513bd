// core.js on its own (no wasm): the OSS XML error body every HTTP host answers with, and
// the hosts' own errors built from the generated facts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hostError, OssImageError, ossErrorXml } from "../src/core.js";
import { HOST_ERRORS } from "../src/facts.js";

test("the XML error body escapes what it echoes and carries the EC", () => {
  const err = new OssImageError("The value: <script>&'\" of parameter: w is invalid.", { code: "InvalidArgument", status: 400, ec: "0040-00000312" });
  const xml = ossErrorXml(err, "rid", "host<1>");
  assert.equal(
    xml,
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      "<Error>",
      "  <Code>InvalidArgument</Code>",
      "  <Message>The value: &lt;script&gt;&amp;&apos;&quot; of parameter: w is invalid.</Message>",
      "  <RequestId>rid</RequestId>",
      "  <HostId>host&lt;1&gt;</HostId>",
      "  <EC>0040-00000312</EC>",
      "  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0040-00000312</RecommendDoc>",
      "</Error>",
      "",
    ].join("\n"),
  );
  assert.ok(!xml.includes("<script>"));
});

test("without an EC the body has no EC and no RecommendDoc", () => {
  const xml = ossErrorXml(new OssImageError("Internal error: x", { code: "InternalError", status: 500 }), "rid", "host");
  assert.match(xml, /<Code>InternalError<\/Code>/);
  assert.doesNotMatch(xml, /<EC>|<RecommendDoc>/);
});

test("hostError builds the hosts' own errors from the generated facts", () => {
  for (const [code, { status, ec, message }] of Object.entries(HOST_ERRORS)) {
    const err = hostError(code);
    assert.ok(err instanceof OssImageError);
    assert.deepEqual(err.toJSON(), { name: "OssImageError", code, status, ec, message });
  }
  assert.deepEqual([hostError("NoSuchFile").status, hostError("NoSuchFile").ec], [404, "0040-00000024"]);
});
