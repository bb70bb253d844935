import { describe, expect, it } from "vitest";
import { hasRole, passwordProblem } from "../src/role";

describe("roles", () => {
  it("orders viewer < marketer < admin", () => {
    expect(hasRole("admin", "marketer")).toBe(true);
    expect(hasRole("marketer", "marketer")).toBe(true);
    expect(hasRole("marketer", "admin")).toBe(false);
    expect(hasRole("viewer", "marketer")).toBe(false);
  });
});

describe("passwordProblem", () => {
  it("wants 12 characters and not the email", () => {
    expect(passwordProblem("short")).toMatch(/12 characters/);
    expect(passwordProblem("ana@example.com", "Ana@Example.com")).toMatch(/email/);
    expect(passwordProblem("correct horse battery")).toBeNull();
  });
});
