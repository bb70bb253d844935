import { describe, expect, it } from "vitest";
import { AddressPolicy, resolveSafely } from "../../src/delivery/address-policy";

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
  ])("refuses the disguised internal address %s", async (url) => {
    await expect(resolveSafely(new URL(url), policy, fakeDns({}))).rejects.toThrow(/refused/);
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
