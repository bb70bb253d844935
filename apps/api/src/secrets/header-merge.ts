import { hostAllowed, hostOfUrl, hostRefusal } from "@switchboard/domain/allowed-hosts";
import type { RuleIssue } from "@switchboard/domain/issue";
import type { WebhookHeader } from "@switchboard/domain/webhook";
import { AppError } from "../errors/app-error";
import { SecretBox } from "./secret-box";

/** A header as a request sends it: with an `id` and no `value` it keeps the stored header's value. */
export interface IncomingHeader {
  id?: string | undefined;
  name: string;
  value?: string | undefined;
  secret: boolean;
  secretHeaderId?: string | null | undefined;
}

/** A header as it is stored: secret values sealed; one that sends an admin-made secret header has no value of its own. */
export interface StoredHeader {
  id: string;
  name: string;
  value: string;
  secret: boolean;
  secretHeaderId?: string | null | undefined;
}

/** An admin-made secret header a header may send, with the hosts it may be sent to. */
export interface SecretHeaderRef {
  id: string;
  label: string;
  name: string;
  allowedHosts: string[];
}

/** What the person saving may do with secrets: admins enter secret values, marketers pick admin-made ones. */
export interface Writer {
  mayWriteSecrets: boolean;
}

/** A header to store: `id` is the stored header it keeps (absent for a new one), secret values sealed. */
export interface MergedHeader {
  id?: string;
  name: string;
  value: string;
  secret: boolean;
  secretHeaderId: string | null;
}

export interface HeaderMerge {
  /** One per incoming header, for the domain's header rules: new values and kept plain ones; secrets as "". */
  checked: WebhookHeader[];
  /** What to store; complete only when `issues` is empty. */
  saved: MergedHeader[];
  /** Values that cannot be resolved, unknown secret headers, secret headers that do not allow the URL's host. */
  issues: RuleIssue[];
}

/** The admin-made secret headers that incoming or stored headers refer to, each once. */
export function referencedSecretHeaders(
  incoming: readonly IncomingHeader[],
  stored: readonly StoredHeader[],
): string[] {
  return [...new Set([...stored, ...incoming].flatMap((h) => (h.secretHeaderId ? [h.secretHeaderId] : [])))];
}

/**
 * Merges incoming headers with the stored ones, by id: the one place that decides which secret values are kept,
 * sealed, refused or re-entered (decisions 0014, 0021).
 * - A kept value is never turned from secret into plain text: dropping the secret flag needs a new value.
 * - Every secret value is stored sealed: new ones, kept plain ones now marked secret, and kept secret ones stored before
 *   sealing existed. Sealed ones are kept as they are (never sealed twice).
 * - Only a writer who may write secrets types a secret value or makes a plain one secret; others pick admin-made
 *   secret headers. A secret an admin typed was meant for its URL's host: moving it to another host takes such a
 *   writer, or the value typed again.
 * - Every admin-made secret header sent must allow the URL's host, whoever saves.
 * Throws a 403 AppError for what the writer may not do; everything else is returned in `issues`.
 */
export function mergeHeaders(args: {
  incoming: readonly IncomingHeader[];
  stored: readonly StoredHeader[];
  /** Where the headers and the URL are in the request body, for issue paths: ["webhook", "headers"], ["webhook", "url"]. */
  paths: { headers: readonly (string | number)[]; url: readonly (string | number)[] };
  url: string;
  /** The URL the stored headers were sent to; null when nothing is stored yet. */
  storedUrl: string | null;
  writer: Writer;
  /** The admin-made secret headers of `referencedSecretHeaders`, by id (missing ones were deleted). */
  secretHeaders: ReadonlyMap<string, SecretHeaderRef>;
  seal: (plain: string) => string;
}): HeaderMerge {
  const { incoming, stored, writer, secretHeaders, seal } = args;
  const at = args.paths.headers;
  const issues: RuleIssue[] = [];
  const host = hostOfUrl(args.url);
  const storedHost = args.storedUrl === null ? null : hostOfUrl(args.storedUrl);
  // Ports do not count.
  const moved = host !== null && storedHost !== null && host !== storedHost;
  const refuseSecret = () => {
    throw new AppError(
      "forbidden",
      "Only admins may enter secret header values; pick a secret header an admin made instead.",
    );
  };
  const checked: WebhookHeader[] = [];
  const saved: MergedHeader[] = [];
  incoming.forEach((h, i) => {
    const own = h.id ? stored.find((s) => s.id === h.id) : undefined;
    const id = own?.id;
    if (h.secretHeaderId) {
      const ref = secretHeaders.get(h.secretHeaderId);
      if (!ref) {
        issues.push({
          path: [...at, i, "secretHeaderId"],
          code: "unknown_secret_header",
          message: "This secret header does not exist (any more); pick another.",
        });
      }
      const name = ref?.name ?? h.name;
      checked.push({ name, value: "", secret: true });
      saved.push({ id, name, value: "", secret: true, secretHeaderId: h.secretHeaderId });
      return;
    }
    if (h.value !== undefined) {
      const retyped = moved && own?.secret && !own.secretHeaderId;
      if (h.secret && !writer.mayWriteSecrets && !retyped) refuseSecret();
      checked.push({ name: h.name, value: h.value, secret: h.secret });
      saved.push({
        id,
        name: h.name,
        value: h.secret ? seal(h.value) : h.value,
        secret: h.secret,
        secretHeaderId: null,
      });
      return;
    }
    if (!own) {
      issues.push({
        path: [...at, i, "value"],
        code: "required",
        message: h.id ? "This header no longer exists; enter its value again." : "Header value is required.",
      });
      checked.push({ name: h.name, value: "", secret: h.secret });
      return;
    }
    if ((own.secret || own.secretHeaderId) && !h.secret) {
      // Keeping a secret's value while dropping the flag would publish the sealed value as plain text.
      issues.push({
        path: [...at, i, "value"],
        code: "required",
        message: "Enter a value to make this header non-secret; the secret value is not kept.",
      });
      checked.push({ name: h.name, value: "", secret: false });
      return;
    }
    if (h.secret && !own.secret && !own.secretHeaderId && !writer.mayWriteSecrets) refuseSecret();
    if (moved && own.secret && !own.secretHeaderId && !writer.mayWriteSecrets) {
      const message = `Header ${own.name} sends a secret value an admin entered for ${storedHost}; to send it to ${host}, enter the value again, or ask an admin to change the URL.`;
      throw new AppError("forbidden", message, [
        { path: ["body", ...at, i, "value"].join("."), code: "secret_reentry_required", message },
      ]);
    }
    if (own.secretHeaderId) {
      checked.push({ name: own.name, value: "", secret: true });
      saved.push({ id, name: own.name, value: "", secret: true, secretHeaderId: own.secretHeaderId });
      return;
    }
    checked.push({ name: h.name, value: own.secret ? "" : own.value, secret: h.secret });
    const seals = h.secret && (!own.secret || !SecretBox.isSealed(own.value));
    saved.push({
      id,
      name: h.name,
      value: seals ? seal(own.value) : own.value,
      secret: h.secret,
      secretHeaderId: null,
    });
  });
  if (host) {
    for (const h of saved) {
      const ref = h.secretHeaderId ? secretHeaders.get(h.secretHeaderId) : undefined;
      if (ref && !hostAllowed(host, ref.allowedHosts)) {
        issues.push({
          path: [...args.paths.url],
          code: "host_not_allowed",
          message: `${hostRefusal(`The secret header "${ref.label}"`, host, ref.allowedHosts)} Use an allowed host, remove the header, or ask an admin to allow ${host}.`,
        });
      }
    }
  }
  return { checked, saved, issues };
}
