import { describe, expect, it } from "vitest";
import { safeNext } from "../src/features/account/components/SignInPage";

describe("after sign-in", () => {
  it("returns to a page of this app only", () => {
    expect(safeNext("/campaigns/13010")).toBe("/campaigns/13010");
    expect(safeNext("//evil.example/x")).toBe("/campaigns");
    expect(safeNext("https://evil.example")).toBe("/campaigns");
    expect(safeNext(null)).toBe("/campaigns");
  });
});
