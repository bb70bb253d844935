import type { integrationInput, integrationPatch } from "@switchboard/contracts/integrations";
import { hostAllowed, hostOfUrl, hostRefusal, normalizeAllowedHosts } from "@switchboard/domain/allowed-hosts";
import { validateWebhookHeaders, validateWebhookUrl, type WebhookPolicy } from "@switchboard/domain/webhook";
import type { z } from "zod";
import { AppError, assertRules } from "../errors/app-error";
import { type IncomingHeader, mergeHeaders, type StoredHeader } from "../secrets/header-merge";
import { SecretBox } from "../secrets/secret-box";
import { newSealedSigningSecret, rotatedSigningSecrets } from "../secrets/signing-secrets";
import type { IntegrationRow, IntegrationStore } from "./integration-store";

/** Integrations are admin-only: whoever saves one may write secret values. */
const ADMIN = { mayWriteSecrets: true };

const view = (r: IntegrationRow) => ({
  id: r.id,
  alias: r.alias,
  url: r.url,
  headers: r.headers.map((h) => ({
    id: h.id,
    name: h.name,
    value: h.secret ? SecretBox.mask(h.value) : h.value,
    secret: h.secret,
    secretHeaderId: h.secretHeaderId ?? null,
  })),
  allowedHosts: r.allowedHosts,
  signingSecretRotatedAt: r.previousSigningSecretUntil ? r.updatedAt.toISOString() : null,
  usedBy: r.usedBy,
  createdAt: r.createdAt.toISOString(),
});

/** Admin-managed endpoints that Integration entries call as webhooks; marketers see only their aliases. */
export function integrationService(deps: {
  integrations: IntegrationStore;
  /** Seals secret values and signing secrets before they are stored. */
  seal: (plain: string) => string;
  policy: WebhookPolicy;
  /** Why a URL's host may not be reached (a non-public address), or null; checked again at send time. */
  checkAddress: (url: string) => Promise<string | null>;
  /** Opens a stored signing secret, for the admin who creates or reveals it. */
  open: (sealed: string) => string;
  now: () => Date;
}) {
  const { integrations, seal, policy, checkAddress, open, now } = deps;
  const find = async (id: string) => {
    const row = await integrations.get(id);
    if (!row) throw AppError.notFound(`Integration ${id}`);
    return row;
  };
  const validated = async (
    input: { alias: string; url: string; headers: IncomingHeader[] },
    current: { url: string; headers: StoredHeader[] } | null,
    allowed: string[] | undefined,
  ) => {
    const url = input.url.trim();
    const issues = [...validateWebhookUrl(url, policy)];
    const host = issues.length ? null : hostOfUrl(url);
    // Its headers and signing secret go to the hosts the admin allowed, and nowhere else (decision 0021); a new
    // integration with no list is allowed its URL's host.
    const allowedHosts = allowed ? normalizeAllowedHosts(allowed) : host ? [host] : [];
    if (host && !hostAllowed(host, allowedHosts)) {
      issues.push({
        path: ["url"],
        code: "host_not_allowed",
        message: `${hostRefusal(`The integration "${input.alias}"`, host, allowedHosts)} Add it to Allowed hosts first.`,
      });
    }
    const merged = mergeHeaders({
      // An integration sends only values of its own: a secret header reference is not one of its fields.
      incoming: input.headers.map(({ secretHeaderId: _ref, ...h }) => h),
      stored: current?.headers ?? [],
      paths: { headers: ["headers"], url: ["url"] },
      url,
      storedUrl: current?.url ?? null,
      writer: ADMIN,
      secretHeaders: new Map(),
      seal,
    });
    issues.push(...validateWebhookHeaders(merged.checked), ...merged.issues);
    if (!issues.some((i) => i.path[0] === "url")) {
      const refusal = await checkAddress(url);
      if (refusal) issues.push({ path: ["url"], code: "address_refused", message: refusal });
    }
    assertRules(issues);
    return {
      url,
      allowedHosts,
      // The JSON column needs an id for every header: new ones get theirs here.
      headers: merged.saved.map(({ id, name, value, secret }) => ({
        id: id ?? crypto.randomUUID(),
        name,
        value,
        secret,
      })),
    };
  };
  const uniqueAlias = async (alias: string, except?: string) => {
    const other = await integrations.idByAlias(alias);
    if (other && other !== except) {
      throw new AppError("conflict", `An integration called "${alias}" exists already.`, [
        { path: "body.alias", code: "duplicate", message: "This alias is taken." },
      ]);
    }
  };
  return {
    async list() {
      const rows = await integrations.list();
      return { items: rows.map(view), total: rows.length };
    },
    async choices() {
      return { items: await integrations.choices() };
    },
    async create(input: z.output<typeof integrationInput>) {
      await uniqueAlias(input.alias);
      const data = await validated(input, null, input.allowedHosts);
      const signingSecret = newSealedSigningSecret(seal);
      const created = await integrations.create({ alias: input.alias, ...data, signingSecret });
      // Shown this once; later only by an audited reveal.
      return { ...view(created), signingSecret: open(signingSecret) };
    },
    async update(id: string, patch: z.output<typeof integrationPatch>) {
      const current = await find(id);
      if (patch.alias) await uniqueAlias(patch.alias, id);
      // Unchanged headers are kept by id, so stored (sealed) values are neither shown nor sealed again.
      const kept = current.headers.map(({ id, name, value, secret }) => ({
        id,
        name,
        secret,
        ...(secret ? {} : { value }),
      }));
      const data = await validated(
        { alias: patch.alias ?? current.alias, url: patch.url ?? current.url, headers: patch.headers ?? kept },
        current,
        patch.allowedHosts ?? current.allowedHosts,
      );
      return view(await integrations.update(id, { alias: patch.alias, ...data }));
    },
    async remove(id: string) {
      const row = await find(id);
      if (row.usedBy > 0) {
        throw new AppError("still_referenced", `${row.usedBy} menu entr(ies) redirect to this integration.`);
      }
      await integrations.delete(id);
    },
    /** An admin reads an integration's signing secret (the route audits it). */
    async revealSigningSecret(id: string) {
      const current = await find(id);
      const until = current.previousSigningSecretUntil;
      return {
        secret: open(current.signingSecret),
        previousValidUntil: until && until > now() ? until.toISOString() : null,
      };
    },
    /** A new signing secret, shown once; the previous one keeps signing beside it for the overlap. */
    async rotate(id: string, overlapHours: number) {
      const current = await find(id);
      const next = rotatedSigningSecrets(seal, now(), current.signingSecret, overlapHours);
      await integrations.setSigningSecrets(id, next.stored);
      return next.shown;
    },
  };
}
export type IntegrationService = ReturnType<typeof integrationService>;
