import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

/**
 * Which addresses webhooks may reach. Only public unicast addresses, v4 or v6; everything else (loopback, private,
 * link-local and cloud metadata, CGNAT, ULA, NAT64, 6to4, Teredo, IPv4-compatible, multicast, unspecified) is refused
 * unless an installation allow-lists it explicitly (self-hosters with internal receivers, tests on 127.0.0.1). An
 * IPv4-mapped address is judged as the IPv4 address it maps.
 */
export class AddressPolicy {
  private readonly allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  constructor(allowedCidrs: readonly string[] = []) {
    this.allowed = allowedCidrs.map((cidr) => ipaddr.parseCIDR(cidr));
  }

  /** Why an address is refused, or null when it may be reached. */
  refusal(address: string): string | null {
    let ip: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      ip = ipaddr.parse(canonical(address));
    } catch {
      return `${address} is not an IP address`;
    }
    // ::ffff:127.0.0.1 is 127.0.0.1: judge the IPv4 address inside.
    if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
    if (this.allowed.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return null;
    const range = ip.range();
    // ipaddr.js calls ::/96 unicast, but these IPv4-compatible addresses (deprecated since 2006) carry an IPv4 address
    // that a host with an automatic tunnel reaches over IPv4: none is a public IPv6 receiver.
    if (range === "unicast" && ip.kind() === "ipv6" && ip.match(ipv4Compatible))
      return `${ip.toString()} is an IPv4-compatible (deprecated ::/96) address`;
    return range === "unicast" ? null : `${ip.toString()} is a ${describe(range)} address`;
  }
}

const ipv4Compatible = ipaddr.parseCIDR("::/96");

/**
 * IPv6 text with a dotted IPv4 tail, as resolvers print ::/96 addresses (`::127.0.0.1`), is spelled in hex first:
 * ipaddr.js reads `::a.b.c.d` as the mapped `::ffff:a.b.c.d`, which is another address. The URL parser's
 * serialisation is the standard's.
 */
function canonical(address: string): string {
  if (!address.includes(":") || !address.includes(".")) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

const rangeNames: Record<string, string> = {
  loopback: "loopback",
  private: "private",
  linkLocal: "link-local (cloud metadata lives here)",
  carrierGradeNat: "carrier-grade NAT",
  uniqueLocal: "unique local (private IPv6)",
  unspecified: "unspecified",
  multicast: "multicast",
  broadcast: "broadcast",
  reserved: "reserved",
  rfc6052: "NAT64",
  rfc6145: "IPv4-translated",
  "6to4": "6to4",
  teredo: "Teredo",
};

function describe(range: string): string {
  return rangeNames[range] ?? `non-public (${range})`;
}

export interface ResolvedTarget {
  hostname: string;
  /** The checked address the connection must use: resolving again when connecting would invite DNS rebinding. */
  address: string;
  family: 4 | 6;
}

export class UnsafeTargetError extends Error {
  readonly errorClass = "ssrf_refused";
}

/** Resolves a URL's host ourselves and refuses it unless every address it resolves to is allowed. */
export async function resolveSafely(url: URL, policy: AddressPolicy, resolve = lookup): Promise<ResolvedTarget> {
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const literal = ipaddr.isValid(hostname) ? [{ address: hostname, family: hostname.includes(":") ? 6 : 4 }] : null;
  let addresses: { address: string; family: number }[];
  try {
    addresses = literal ?? (await resolve(hostname, { all: true, verbatim: true }));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw Object.assign(new Error(`${hostname} could not be resolved (${code ?? "DNS error"})`), { errorClass: "dns" });
  }
  if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { errorClass: "dns" });
  // Every address must pass: a name resolving to one public and one private address is an attack, not a choice.
  for (const { address } of addresses) {
    const refusal = policy.refusal(address);
    if (refusal)
      throw new UnsafeTargetError(`${url.hostname} is refused: ${refusal}. Webhooks only go to public addresses.`);
  }
  const first = addresses[0] as { address: string; family: number };
  return { hostname, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/**
 * The save-time check: a host that resolves to a refused address is refused now; one that does not resolve (yet) is
 * accepted, since the send-time check will judge it again.
 */
export async function addressRefusal(url: string, policy: AddressPolicy, resolve = lookup): Promise<string | null> {
  try {
    await resolveSafely(new URL(url), policy, resolve);
    return null;
  } catch (error) {
    return error instanceof UnsafeTargetError ? error.message : null;
  }
}
