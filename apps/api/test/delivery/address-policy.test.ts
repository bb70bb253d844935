import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { AddressPolicy, resolveSafely } from "../../src/dispatch/address-policy";

const policy = new AddressPolicy();

describe("the webhook address policy", () => {
  it.each(["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"])("lets %s through", (address) => {
    expect(policy.refusal(address)).toBeNull();
  });

  it.each([
    ["127.0.0.1", "loopback"],
    ["127.12.34.56", "loopback"],
    ["::1", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["fe80::1", "link-local"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["fd00:ec2::254", "unique local"],
    ["fc00::1", "unique local"],
    ["64:ff9b::7f00:1", "NAT64"],
    ["2002:7f00:1::", "6to4"],
    ["2001::1", "Teredo"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.1.2.3", "private"],
    // IPv4-compatible (::/96, deprecated): whatever v4 it carries, in either spelling, as DNS or a URL may give it.
    ["::7f00:1", "IPv4-compatible"],
    ["::127.0.0.1", "IPv4-compatible"],
    ["::a00:1", "IPv4-compatible"],
    ["::8.8.8.8", "IPv4-compatible"],
    ["::ffff:0:7f00:1", "IPv4-translated"],
    ["64:ff9b::10.0.0.1", "NAT64"],
    ["64:ff9b:1::a00:1", "NAT64"],
    ["2002:a00:1::1", "6to4"],
    ["2002:c0a8:101::", "6to4"],
  ])("refuses %s (%s)", (address, kind) => {
    expect(policy.refusal(address)).toContain(kind);
  });

  it("lets an explicit allow-list through, and nothing more", () => {
    const local = new AddressPolicy(["127.0.0.1/32", "10.20.0.0/16"]);
    expect(local.refusal("127.0.0.1")).toBeNull();
    expect(local.refusal("::ffff:127.0.0.1")).toBeNull();
    expect(local.refusal("10.20.3.4")).toBeNull();
    expect(local.refusal("127.0.0.2")).toContain("loopback");
    expect(local.refusal("10.21.0.1")).toContain("private");
  });
});

describe("resolving a webhook's host", () => {
  const fakeDns = (answers: Record<string, string[]>) =>
    (async (host: string) => {
      const found = answers[host];
      if (!found) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
      return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    }) as never;

  it.each([
    "http://2130706433/",
    "http://0x7f.0.0.1/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::127.0.0.1]/",
    "http://[::7f00:1]/",
    "http://[::10.0.0.1]/",
    "http://[::169.254.169.254]/",
    "http://[0:0:0:0:0:0:127.0.0.1]/",
    "http://[::ffff:0:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[64:ff9b::127.0.0.1]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:7f00:1::]/",
    "http://[2002:a9fe:a9fe::1]/",
    "http://[::]/",
    "http://[0:0:0:0:0:0:0:1]/",
  ])("refuses the disguised internal address %s", async (url) => {
    await expect(resolveSafely(new URL(url), policy, fakeDns({}))).rejects.toThrow(/refused/);
  });

  it("refuses a name whose AAAA record is an IPv4-compatible address, as the resolver spells it", async () => {
    const dns = fakeDns({ "compat.example": ["::127.0.0.1"], "public-compat.example": ["::8.8.8.8"] });
    await expect(resolveSafely(new URL("https://compat.example/"), policy, dns)).rejects.toThrow(/IPv4-compatible/);
    await expect(resolveSafely(new URL("https://public-compat.example/"), policy, dns)).rejects.toThrow(
      /IPv4-compatible/,
    );
  });

  it("refuses every IPv6 spelling of a non-public IPv4 address, in a URL", async () => {
    const nonPublic = fc
      .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
      .map((octets) => octets.join("."))
      .filter((v4) => ipaddr.parse(v4).range() !== "unicast");
    const hex = (v4: string) => {
      const [a, b, c, d] = v4.split(".").map(Number) as [number, number, number, number];
      return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    };
    const spellings = (v4: string) => [
      `::${v4}`,
      `::${hex(v4)}`,
      `::ffff:${v4}`,
      `::ffff:${hex(v4)}`,
      `::ffff:0:${v4}`,
      `64:ff9b::${v4}`,
      `64:ff9b:1::${hex(v4)}`,
      `2002:${hex(v4)}::1`,
    ];
    await fc.assert(
      fc.asyncProperty(nonPublic, fc.nat(7), async (v4, which) => {
        const url = new URL(`http://[${spellings(v4)[which]}]/`);
        await expect(resolveSafely(url, policy, fakeDns({}))).rejects.toThrow(/refused/);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a name that resolves to a private address, and one that resolves to any", async () => {
    const dns = fakeDns({ "internal.example": ["10.0.0.5"], "mixed.example": ["93.184.216.34", "127.0.0.1"] });
    await expect(resolveSafely(new URL("https://internal.example/x"), policy, dns)).rejects.toThrow(
      "internal.example is refused: 10.0.0.5 is a private address",
    );
    await expect(resolveSafely(new URL("https://mixed.example/x"), policy, dns)).rejects.toThrow(/refused/);
  });

  it("returns the checked address to connect to", async () => {
    const dns = fakeDns({ "hooks.example": ["93.184.216.34"] });
    expect(await resolveSafely(new URL("https://hooks.example/x"), policy, dns)).toEqual({
      hostname: "hooks.example",
      address: "93.184.216.34",
      family: 4,
    });
  });

  it("says so when a name does not resolve", async () => {
    await expect(resolveSafely(new URL("https://nowhere.example/"), policy, fakeDns({}))).rejects.toThrow(
      "nowhere.example could not be resolved (ENOTFOUND)",
    );
  });
});
