import { describe, expect, it } from "vitest";
import {
  hostAllowed,
  hostOfUrl,
  hostRefusal,
  normalizeAllowedHost,
  normalizeAllowedHosts,
  validateAllowedHosts,
} from "../src/allowed-hosts";

const allowedFor = (url: string, list: string[]) => hostAllowed(hostOfUrl(url) ?? "", list);

describe("allowed hosts", () => {
  it("normalizes hosts as the URL parser sees them", () => {
    expect(normalizeAllowedHost(" API.Example.COM ")).toEqual({ host: "api.example.com" });
    expect(normalizeAllowedHost("bücher.example")).toEqual({ host: "xn--bcher-kva.example" });
    expect(normalizeAllowedHost("example.com.")).toEqual({ host: "example.com" });
    expect(normalizeAllowedHost("127.1")).toEqual({ host: "127.0.0.1" });
    expect(normalizeAllowedHost("[::1]")).toEqual({ host: "[::1]" });
    expect(normalizeAllowedHost("*.Example.com")).toEqual({ host: "*.example.com" });
  });

  it("refuses what is not a host, ports, and wildcards wider than a domain", () => {
    const code = (raw: string) => {
      const n = normalizeAllowedHost(raw);
      return "code" in n ? n.code : null;
    };
    expect(code("https://api.example.com")).toBe("invalid_host");
    expect(code("api.example.com/hooks")).toBe("invalid_host");
    expect(code("user@api.example.com")).toBe("invalid_host");
    expect(code("api.*.example.com")).toBe("invalid_host");
    expect(code("*")).toBe("invalid_host");
    expect(code("")).toBe("required");
    expect(code("api.example.com:8443")).toBe("port_not_allowed");
    expect(code("[::1]:80")).toBe("port_not_allowed");
    expect(code("*.com")).toBe("wildcard_too_broad");
    expect(code("*.10.0.0.1")).toBe("wildcard_too_broad");
  });

  it("reports each bad entry by index, and duplicates after normalizing", () => {
    expect(validateAllowedHosts(["a.example", "https://b.example", "A.example."])).toEqual([
      expect.objectContaining({ path: [1], code: "invalid_host" }),
      expect.objectContaining({ path: [2], code: "duplicate_host", message: "a.example is listed already (host 1)." }),
    ]);
    expect(validateAllowedHosts(Array.from({ length: 51 }, (_, i) => `h${i}.example`))[0]?.code).toBe("too_many");
    expect(normalizeAllowedHosts(["API.example", "*.B.example"])).toEqual(["api.example", "*.b.example"]);
  });

  it("matches exact hosts on any port, and wildcards on subdomains only", () => {
    const list = ["api.example.com", "*.hooks.example"];
    expect(allowedFor("https://api.example.com/x", list)).toBe(true);
    expect(allowedFor("https://API.example.com:8443/x", list)).toBe(true);
    expect(allowedFor("https://api.example.com./x", list)).toBe(true);
    expect(allowedFor("https://a.hooks.example/", list)).toBe(true);
    expect(allowedFor("https://a.b.hooks.example/", list)).toBe(true);
    expect(allowedFor("https://hooks.example/", list)).toBe(false);
    expect(allowedFor("https://evilhooks.example/", list)).toBe(false);
    expect(allowedFor("https://api.example.com.evil.example/", list)).toBe(false);
    expect(allowedFor("https://other.example.com/", list)).toBe(false);
    expect(allowedFor("https://127.0.0.1/", ["localhost"])).toBe(false);
    // An empty list sends the secret nowhere.
    expect(allowedFor("https://api.example.com/", [])).toBe(false);
  });

  it("compares raw hosts taken from stored URLs as the parser sees them", () => {
    expect(allowedFor("https://bücher.example/hook", ["bücher.example"])).toBe(true);
    expect(allowedFor("http://2130706433/hook", ["127.0.0.1"])).toBe(true);
  });

  it("says which hosts are allowed when it refuses", () => {
    expect(hostRefusal('The secret header "CRM key"', "evil.example", ["api.crm.example", "*.crm.example"])).toBe(
      'The secret header "CRM key" may only be sent to api.crm.example, *.crm.example; evil.example is not one of its allowed hosts.',
    );
    expect(hostRefusal("It", "evil.example", [])).toMatch(/not listed its allowed hosts/);
  });
});
