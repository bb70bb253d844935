import { describe, expect, it } from "vitest";
import { hasRole, passwordProblem } from "../src/role";

describe("roles", () => {
  it("orders viewer < marketer < admin", () => {
    expect(hasRole("admin", "marketer")).toBe(true);
    expect(hasRole("marketer", "marketer")).toBe(true);
    expect(hasRole("marketer", "admin")).toBe(false);
    expect(hasRole("viewer", "marketer")).toBe(false);
  });

  it("keeps agents to the inbox, which marketers and admins may work too", () => {
    expect(hasRole("agent", "agent")).toBe(true);
    expect(hasRole("agent", "viewer")).toBe(false);
    expect(hasRole("viewer", "agent")).toBe(false);
    expect(hasRole("marketer", "agent")).toBe(true);
    expect(hasRole("admin", "agent")).toBe(true);
  });
});

describe("passwordProblem", () => {
  it("wants 12 characters and not the email", () => {
    expect(passwordProblem("short")).toMatch(/12 characters/);
    expect(passwordProblem("ana@example.com", "Ana@Example.com")).toMatch(/email/);
    expect(passwordProblem("correct horse battery")).toBeNull();
  });
});
