import { expect, it } from "vitest";
import type { ErrorCode } from "../src/errors/app-error";
import { statusOf } from "../src/http/problem";
import { describeEachDatabase } from "./harness";

/** The CSP directive `name`'s sources, from the Content-Security-Policy header. */
const directive = (csp: string, name: string) =>
  csp
    .split(";")
    .map((d) => d.trim().split(/\s+/))
    .find(([n]) => n === name)
    ?.slice(1) ?? [];

describeEachDatabase("the API reference and the problem types", (h) => {
  it("serves the interactive reference from our own origin, with no inline script", async () => {
    const page = await h.api.get("/api/docs");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    const csp = String(page.headers["content-security-policy"]);
    expect(directive(csp, "script-src")).toEqual(["'self'"]);
    expect(directive(csp, "connect-src")).toEqual(["'self'"]);
    // Every script is either served by us (src) or a non-executed JSON configuration element.
    const scripts = page.text.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).toHaveLength(2);
    for (const tag of scripts) expect(tag.includes('src="/') || tag.includes('type="application/json"')).toBe(true);
    expect(page.text).toContain('data-url="/api/openapi.json"');
    // Nothing that would send the document to Scalar's servers, nor fetch fonts from its CDN.
    const configuration = JSON.parse(
      (page.text.match(/data-configuration="([^"]+)"/)?.[1] ?? "null").replaceAll("&quot;", '"'),
    );
    expect(configuration).toMatchObject({ withDefaultFonts: false, agent: { disabled: true } });
    expect(page.text).not.toMatch(/https?:\/\//);

    const src = page.text.match(/<script src="([^"]+)"/)?.[1] as string;
    const script = await h.api.get(src);
    expect(script.status).toBe(200);
    expect(script.headers["content-type"]).toMatch(/^(text|application)\/javascript/);
    expect(script.text).toContain("@scalar/api-reference@1.46.4");
    expect(script.text.length).toBeGreaterThan(1_000_000);
  });

  it("explains every problem type under its own anchor, which each problem's type links to", async () => {
    const page = await h.api.get("/api/problems");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(directive(String(page.headers["content-security-policy"]), "script-src")).toEqual(["'self'"]);
    expect(page.text).not.toContain("<script");
    for (const code of Object.keys(statusOf) as ErrorCode[]) {
      expect(page.text).toContain(`<section id="${code}">`);
    }
    const missing = await h.api.get("/api/v1/nothing-here");
    const [path, anchor] = String(missing.body.type).split("#");
    expect(path).toBe("/api/problems");
    expect(page.text).toContain(`<section id="${anchor}">`);
  });
});
