import { issue, type RuleIssue } from "./issue";
import { parseUrl } from "./platform";

/**
 * The hosts an admin allows a secret to be sent to (a secret header's, an integration's): exact host names or IP
 * addresses, and `*.example.com` for every subdomain of example.com at any depth (not example.com itself). Ports do
 * not count: an allowed host is allowed on every port, since whoever runs a host answers on all of its ports.
 * Decision 0021.
 */
export const ALLOWED_HOSTS_MAX = 50;
export const ALLOWED_HOST_MAX = 260;

type Normalized = { host: string } | { code: string; message: string };

/** An allowed host as stored and compared: lower case, punycode, IPv4 dotted, no trailing dot; or why it is not one. */
export function normalizeAllowedHost(raw: string): Normalized {
  const text = raw.trim().toLowerCase();
  if (text === "") return { code: "required", message: "Write a host, such as api.example.com." };
  const wildcard = text.startsWith("*.");
  const rest = wildcard ? text.slice(2) : text;
  const shape = `"${raw.trim()}" is not a host: write a host name such as api.example.com or *.example.com, without scheme, path or port.`;
  if (/[\s/\\?#@*%]/.test(rest)) return { code: "invalid_host", message: shape };
  // Outside an IPv6 literal's brackets a colon can only start a port.
  if ((rest.startsWith("[") ? rest.replace(/^\[[^\]]*\]/, "") : rest).includes(":")) {
    return {
      code: "port_not_allowed",
      message: `"${raw.trim()}" has a port: ports do not count, write the host alone (every port of it is allowed).`,
    };
  }
  const hostname = parseUrl(`https://${rest}/`)?.hostname.replace(/\.$/, "");
  if (!hostname) return { code: "invalid_host", message: shape };
  if (wildcard && (isIpLiteral(hostname) || !hostname.includes("."))) {
    return {
      code: "wildcard_too_broad",
      message: `"${raw.trim()}" is too broad: a wildcard covers the subdomains of a domain, such as *.example.com.`,
    };
  }
  return { host: wildcard ? `*.${hostname}` : hostname };
}

const isIpLiteral = (host: string) => host.startsWith("[") || /^\d+\.\d+\.\d+\.\d+$/.test(host);

/** The issues of a list of allowed hosts, by index: hosts that are not hosts, duplicates, too many. */
export function validateAllowedHosts(list: readonly string[]): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (list.length > ALLOWED_HOSTS_MAX) {
    issues.push(issue([], "too_many", `At most ${ALLOWED_HOSTS_MAX} allowed hosts.`));
  }
  const seen = new Map<string, number>();
  list.forEach((raw, index) => {
    const n = normalizeAllowedHost(raw);
    if (!("host" in n)) {
      issues.push(issue([index], n.code, n.message));
      return;
    }
    const first = seen.get(n.host);
    if (first !== undefined) {
      issues.push(issue([index], "duplicate_host", `${n.host} is listed already (host ${first + 1}).`));
    } else seen.set(n.host, index);
  });
  return issues;
}

/** The list as stored: every entry normalized (call after `validateAllowedHosts` found nothing). */
export function normalizeAllowedHosts(list: readonly string[]): string[] {
  return list.flatMap((raw) => {
    const n = normalizeAllowedHost(raw);
    return "host" in n ? [n.host] : [];
  });
}

/** The host of a webhook URL as the sender connects to it (lower case, punycode, no trailing dot), or null. */
export function hostOfUrl(url: string): string | null {
  return parseUrl(url.trim())?.hostname.replace(/\.$/, "") || null;
}

/**
 * Whether a secret bound to `allowed` may be sent to `host`. Entries are normalized here too, so lists written by the
 * upgrade migration (raw hosts taken from stored URLs) compare as the parser sees them. An empty list allows nothing.
 */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return allowed.some((entry) => {
    const n = normalizeAllowedHost(entry);
    if (!("host" in n)) return false;
    return n.host.startsWith("*.") ? h.endsWith(n.host.slice(1)) : h === n.host;
  });
}

/** How a list reads in a message: "a.example, *.b.example", or that there is none. */
export function describeAllowedHosts(allowed: readonly string[]): string {
  return allowed.length ? allowed.join(", ") : "no host yet (an admin lists them)";
}

/** The sentence that refuses sending `what` (e.g. the secret header "CRM key") to `host`. */
export function hostRefusal(what: string, host: string, allowed: readonly string[]): string {
  return allowed.length
    ? `${what} may only be sent to ${describeAllowedHosts(allowed)}; ${host} is not one of its allowed hosts.`
    : `${what} may not be sent anywhere yet: an admin has not listed its allowed hosts (${host} was asked for).`;
}
