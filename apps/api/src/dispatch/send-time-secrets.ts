import { hostAllowed, hostOfUrl, hostRefusal } from "@switchboard/domain/allowed-hosts";
import type pg from "pg";
import type { SecretBox } from "../secrets/secret-box";
import type { ClaimedDelivery, StoredHeader } from "./delivery-rows";

export interface Endpoint {
  url: string;
  /** `secret`: its value is hidden from what the attempt records (the sender redacts echoes of it). */
  headers: { name: string; value: string; secret: boolean }[];
  secrets: string[];
}

/** What the secrets of an attempt are found from: the delivery's own, or its integration's. */
export type SendTarget = Pick<
  ClaimedDelivery,
  "url" | "headers" | "signingSecret" | "currentSecret" | "previousSecret" | "integrationId"
>;

export interface SendTimeSecrets {
  resolve(row: SendTarget): Promise<Endpoint>;
}

/**
 * A secret refused to the host it was to be sent to (decision 0021): nothing is sent. `header` is the index of the
 * header in the webhook's Headers, or null when the integration's own list refused its URL.
 */
export class HostNotAllowed extends Error {
  constructor(
    message: string,
    readonly host: string,
    readonly allowedHosts: readonly string[],
    readonly header: number | null,
  ) {
    super(message);
    this.name = "HostNotAllowed";
  }
}

interface IntegrationRow {
  url: string;
  headers: StoredHeader[];
  allowed_hosts: string[];
  signing_secret: string;
  previous_signing_secret: string | null;
}

/**
 * The only place (besides an admin's audited reveal) where secrets are opened: right before the request is sent.
 * Admin-made secret headers and integrations are read now, so a rotation reaches every later attempt, and so does a
 * change of their allowed hosts: a secret is opened only for a URL whose host they allow. Looked-up rows are kept for
 * a second: a burst of deliveries to one integration reads it once.
 */
export function sendTimeSecrets(pool: pg.Pool, box: SecretBox): SendTimeSecrets {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  const cached = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < 1_000) return hit.value as Promise<T>;
    if (cache.size > 1_000) cache.clear();
    const value = load();
    cache.set(key, { at: Date.now(), value });
    value.catch(() => cache.delete(key));
    return value;
  };
  const secretHeader = (id: string) =>
    cached(`s:${id}`, async () => {
      const { rows } = await pool.query<{ name: string; value: string; label: string; allowed_hosts: string[] }>(
        "SELECT name, value, label, allowed_hosts FROM secret_header WHERE id = $1",
        [id],
      );
      if (!rows[0]) throw new Error("A secret header this webhook sends was deleted.");
      return rows[0];
    });
  const integration = (id: string) =>
    cached(`i:${id}`, async () => {
      const { rows } = await pool.query<IntegrationRow>(
        `SELECT url, headers, allowed_hosts, signing_secret,
                CASE WHEN previous_signing_secret_until > now() THEN previous_signing_secret END AS previous_signing_secret
           FROM integration WHERE id = $1`,
        [id],
      );
      if (!rows[0]) throw new Error("The integration of this delivery was deleted.");
      return rows[0];
    });
  const open = async (headers: StoredHeader[], url: string) =>
    Promise.all(
      headers.map(async (h, index) => {
        if (h.secretHeaderId) {
          const s = await secretHeader(h.secretHeaderId);
          refuseUnlessAllowed(url, `The secret header "${s.label}"`, s.allowed_hosts ?? [], index);
          return { name: h.name || s.name, value: box.reveal(s.value), secret: true };
        }
        return { name: h.name, value: h.secret ? box.reveal(h.value) : h.value, secret: h.secret };
      }),
    );
  return {
    async resolve(row) {
      if (row.integrationId) {
        const i = await integration(row.integrationId);
        refuseUnlessAllowed(i.url, "This integration", i.allowed_hosts ?? [], null);
        return {
          url: i.url,
          headers: await open(i.headers, i.url),
          secrets: [i.signing_secret, i.previous_signing_secret]
            .filter((s): s is string => !!s)
            .map((s) => box.reveal(s)),
        };
      }
      return {
        url: row.url,
        headers: await open(row.headers, row.url),
        secrets: [row.currentSecret ?? row.signingSecret, row.previousSecret]
          .filter((s): s is string => !!s)
          .map((s) => box.reveal(s)),
      };
    },
  };
}

function refuseUnlessAllowed(url: string, what: string, allowed: readonly string[], header: number | null): void {
  const host = hostOfUrl(url) ?? url;
  if (!hostAllowed(host, allowed)) {
    throw new HostNotAllowed(`${hostRefusal(what, host, allowed)} Nothing was sent.`, host, allowed, header);
  }
}
