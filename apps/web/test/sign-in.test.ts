import { describe, expect, it } from "vitest";
import { safeNext } from "../src/features/account/model/safe-next";

describe("after sign-in", () => {
  it("returns to a page of this app", () => {
    expect(safeNext("/campaigns/13010")).toBe("/campaigns/13010");
    expect(safeNext("/deliveries?status=failed")).toBe("/deliveries?status=failed");
    expect(safeNext("/campaigns/13010#node-2")).toBe("/campaigns/13010#node-2");
    expect(safeNext("/admin/users")).toBe("/admin/users");
  });

  it("goes home (the campaigns, or an agent's inbox) when there is nowhere to return to", () => {
    expect(safeNext(null)).toBe("/");
    expect(safeNext("")).toBe("/");
    expect(safeNext("campaigns/13010")).toBe("/");
  });

  // Each of these is read by some browser as another origin, or runs script, or could become one once decoded.
  it.each([
    ["a protocol-relative URL", "//evil.example/x"],
    ["a backslash after the slash", "/\\evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["a backslash then a slash", "\\/evil.example"],
    ["a slash then a backslash then a slash", "/\\/evil.example"],
    ["encoded slashes", "%2F%2Fevil.example"],
    ["an encoded second slash", "/%2Fevil.example"],
    ["an encoded second slash in lower case", "/%2fevil.example"],
    ["an encoded backslash", "/%5Cevil.example"],
    ["an encoded backslash in lower case", "/%5cevil.example"],
    ["a tab between the slashes", "/\t/evil.example"],
    ["a newline between the slashes", "/\n/evil.example"],
    ["a carriage return between the slashes", "/\r/evil.example"],
    ["a NUL between the slashes", "/\u0000/evil.example"],
    ["a leading space", " //evil.example"],
    ["a leading tab", "\t//evil.example"],
    ["a dot segment that leaves two slashes", "/.//evil.example"],
    ["dot-dot segments that leave two slashes", "/campaigns/../..//evil.example"],
    ["an absolute https URL", "https://evil.example"],
    ["an absolute URL without slashes", "https:evil.example"],
    ["a javascript: URL", "javascript:alert(document.cookie)"],
    ["a javascript: URL in mixed case with a tab", "JaVa\tScRiPt:alert(1)"],
    ["a data: URL", "data:text/html,<script>alert(1)</script>"],
    ["a user-info trick", "//campaigns@evil.example"],
  ])("refuses %s", (_, next) => {
    expect(safeNext(next)).toBe("/");
  });
});
