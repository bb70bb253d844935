import type { handoffSettingsInput, HandoffSettings as SettingsOut } from "@switchboard/contracts/handoffs";
import { campaignEndsAt } from "@switchboard/domain/campaign";
import { isRunning } from "@switchboard/domain/conversation/session";
import { rafflePayload, surveyPayload } from "@switchboard/domain/handoff/payloads";
import { matchPrizes, prizeShrinkIssues } from "@switchboard/domain/handoff/raffle";
import { defaultHandoffSettings, type HandoffSettings, type HandoffType } from "@switchboard/domain/handoff/settings";
import { questionIssues, sampleAnswers, surveyResults } from "@switchboard/domain/handoff/survey";
import type { RuleIssue } from "@switchboard/domain/issue";
import type { JsonObject } from "@switchboard/domain/json";
import { SAMPLE_PHONE_NUMBER, serializePayload } from "@switchboard/domain/payload";
import {
  validateWebhookBody,
  validateWebhookHeaders,
  validateWebhookUrl,
  type WebhookPolicy,
} from "@switchboard/domain/webhook";
import type { z } from "zod";
import type { CampaignStore } from "../campaigns/campaign-store";
import { AppError, assertRules } from "../errors/app-error";
import type { Campaign } from "../generated/prisma/client";
import { newSealedSigningSecret, rotatedSigningSecrets } from "../secrets/signing-secrets";
import { csv } from "./csv";
import type { HandoffStore } from "./handoff-store";

type SettingsInput = z.output<typeof handoffSettingsInput>;

const handoffTypeLabels: Record<HandoffType, string> = {
  raffle_giveaway: "Raffle Giveaway",
  polls_surveys: "Polls & Surveys",
  web_polls_surveys: "Web Polls & Surveys",
};

/** Configuration, results and exports of the Raffle Giveaway, Polls & Surveys and Web Polls & Surveys campaigns. */
export function handoffService(deps: {
  store: HandoffStore;
  campaigns: Pick<CampaignStore, "get">;
  seal: (plain: string) => string;
  policy: WebhookPolicy;
  checkAddress?: (url: string) => Promise<string | null>;
  now: () => Date;
}) {
  const { store, campaigns, seal, policy, now } = deps;
  const checkAddress = deps.checkAddress ?? (async () => null);

  /** The campaign, refused unless it is of one of `types`. */
  const campaignOf = async (id: number, types: readonly HandoffType[]) => {
    const campaign = await campaigns.get(id);
    if (!campaign) throw AppError.notFound(`Campaign ${id}`);
    if (!types.includes(campaign.type as HandoffType)) {
      throw new AppError(
        "conflict",
        `Campaign ${id} is a ${campaign.type === "chatbot" ? "chatbot" : handoffTypeLabels[campaign.type as HandoffType]}; this needs a ${types.map((t) => handoffTypeLabels[t]).join(" or ")}.`,
      );
    }
    return campaign as Campaign & { type: HandoffType };
  };

  const running = (c: Campaign) => isRunning({ status: c.status, endsAt: campaignEndsAt(c, c.activatedAt) }, now());

  const settingsOf = async (campaign: Campaign & { type: HandoffType }) =>
    (await store.settings(campaign.id)) ?? {
      settings: defaultHandoffSettings(campaign.type),
      webhookId: null,
      signingSecret: null,
      updatedAt: campaign.updatedAt,
    };

  const present = async (campaign: Campaign & { type: HandoffType }): Promise<SettingsOut> => {
    const { settings, updatedAt } = await settingsOf(campaign);
    const common = { campaignId: campaign.id, updatedAt: updatedAt.toISOString() };
    if (settings.type === "raffle_giveaway") {
      const rows = await store.prizes(campaign.id);
      const matched = matchPrizes(settings.prizes, rows);
      return {
        ...settings,
        ...common,
        prizes: settings.prizes.map((p, i) => {
          const row = rows[matched[i] ?? -1];
          const awarded = row?.awarded ?? 0;
          return { ...p, ...(row ? { id: row.id } : {}), awarded, left: Math.max(0, p.quantity - awarded) };
        }),
      } as SettingsOut;
    }
    return { ...settings, ...common } as SettingsOut;
  };

  const webhookIssues = async (webhook: SettingsInput["webhook"]): Promise<RuleIssue[]> => {
    if (!webhook) return [];
    const issues = [
      ...validateWebhookUrl(webhook.url, policy).map((i) => ({ ...i, path: ["webhook", ...i.path] })),
      ...validateWebhookBody(webhook.body).map((i) => ({ ...i, path: ["webhook", "body", ...i.path] })),
      ...validateWebhookHeaders(webhook.headers.map((h) => ({ ...h, secret: false }))).map((i) => ({
        ...i,
        path: ["webhook", "headers", ...i.path],
      })),
    ];
    if (issues.length === 0) {
      const refusal = await checkAddress(webhook.url);
      if (refusal) issues.push({ path: ["webhook", "url"], code: "address_refused", message: refusal });
    }
    return issues;
  };

  const surveyOf = async (id: number) => {
    const campaign = await campaignOf(id, ["polls_surveys", "web_polls_surveys"]);
    const { settings } = await settingsOf(campaign);
    if (settings.type === "raffle_giveaway") throw new Error("unreachable: a survey holds survey settings");
    return { campaign, settings };
  };

  return {
    async get(id: number) {
      return present(await campaignOf(id, ["raffle_giveaway", "polls_surveys", "web_polls_surveys"]));
    },

    async put(id: number, input: SettingsInput) {
      const campaign = await campaignOf(id, ["raffle_giveaway", "polls_surveys", "web_polls_surveys"]);
      if (input.type !== campaign.type) {
        throw AppError.rules([
          {
            path: ["type"],
            code: "type_mismatch",
            message: `This campaign is a ${handoffTypeLabels[campaign.type]}: send type "${campaign.type}".`,
          },
        ]);
      }
      const settings = input as HandoffSettings;
      const issues: RuleIssue[] = [...(await webhookIssues(input.webhook))];
      if (settings.type === "raffle_giveaway") {
        const rows = await store.prizes(id);
        const awarded = matchPrizes(settings.prizes, rows).map((i) => rows[i]?.awarded ?? 0);
        for (const found of prizeShrinkIssues(settings.prizes, awarded)) {
          issues.push({ path: ["prizes", found.index, "quantity"], code: "below_awarded", message: found.message });
        }
        const names = settings.prizes.map((p) => p.name.toLowerCase());
        names.forEach((n, i) => {
          if (names.indexOf(n) !== i)
            issues.push({ path: ["prizes", i, "name"], code: "duplicate", message: "Two prizes have this name." });
        });
      } else {
        issues.push(...questionIssues(settings.questions).map((i) => ({ ...i, code: "invalid_question" })));
      }
      assertRules(issues);
      const existing = await store.settings(id);
      const secret = settings.webhook && !existing?.signingSecret ? newSealedSigningSecret(seal) : null;
      await store.save(id, settings, secret);
      return present(campaign);
    },

    /** A new signing secret for the type's webhook, shown once (no overlap: the type webhook has one secret). */
    async rotateSigningSecret(id: number) {
      await campaignOf(id, ["raffle_giveaway", "polls_surveys", "web_polls_surveys"]);
      const stored = await store.settings(id);
      if (!stored?.settings.webhook) throw AppError.notFound(`A webhook on campaign ${id}`);
      const next = rotatedSigningSecrets(seal, now(), stored.signingSecret, 0);
      await store.setSigningSecret(id, next.stored.signingSecret);
      return { secret: next.shown.secret };
    },

    /** What Send test sends for the type's webhook: a sample entry or response, signed with its secret. */
    async webhookForTest(id: number) {
      const campaign = await campaignOf(id, ["raffle_giveaway", "polls_surveys", "web_polls_surveys"]);
      const stored = await store.settings(id);
      const webhook = stored?.settings.webhook;
      if (!stored || !webhook) throw AppError.notFound(`A webhook on campaign ${id}`);
      const settings = stored.settings;
      const common = { campaignId: id, label: campaign.name, phoneNumber: SAMPLE_PHONE_NUMBER, receivedAt: now() };
      const body = webhook.body as JsonObject;
      const payload =
        settings.type === "raffle_giveaway"
          ? rafflePayload({ ...common, won: true, prize: settings.prizes[0]?.name ?? null }, body)
          : surveyPayload({ ...common, answers: sampleAnswers(settings.questions) }, body);
      return {
        campaignId: id,
        entryId: stored.webhookId,
        nodeId: stored.webhookId,
        label: campaign.name,
        mode: settings.type === "raffle_giveaway" ? ("raffle" as const) : ("survey" as const),
        option: "",
        keyword: "",
        payload: serializePayload(payload),
        config: {
          url: webhook.url,
          body,
          headers: webhook.headers.map((h) => ({ ...h, secret: false })),
          signingSecret: stored.signingSecret,
        },
      };
    },

    async raffleResults(id: number) {
      const campaign = await campaignOf(id, ["raffle_giveaway"]);
      const [{ participants, winners }, prizes] = await Promise.all([store.raffleCounts(id), store.prizes(id)]);
      const prizesLeft = prizes.reduce((sum, p) => sum + Math.max(0, p.quantity - p.awarded), 0);
      return {
        participants,
        winners,
        prizes: prizes.map(({ name, quantity, awarded }) => ({ name, quantity, awarded })),
        prizesLeft,
        over: !running(campaign) || prizesLeft === 0,
      };
    },

    async raffleEntries(id: number, query: { won?: "true" | "false" | undefined; limit: number; offset: number }) {
      await campaignOf(id, ["raffle_giveaway"]);
      const { rows, total } = await store.raffleEntries(id, {
        won: query.won === undefined ? undefined : query.won === "true",
        limit: query.limit,
        offset: query.offset,
      });
      return { items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })), total };
    },

    async raffleEntriesCsv(id: number) {
      await campaignOf(id, ["raffle_giveaway"]);
      const { rows } = await store.raffleEntries(id, { limit: 1_000_000, offset: 0 });
      return csv(
        ["number", "phoneNumber", "won", "prize", "date"],
        rows.map((r) => [r.number, r.phoneNumber, r.won, r.prize ?? "", r.createdAt.toISOString()]),
      );
    },

    async surveyResults(id: number) {
      const { settings } = await surveyOf(id);
      const completed = await store.completedAnswers(id);
      const { inProgress, linksSent } = await store.responseCounts(id);
      return {
        responses: completed.length,
        bySource: {
          chat: completed.filter((r) => r.source === "chat").length,
          web: completed.filter((r) => r.source === "web").length,
        },
        inProgress,
        linksSent,
        questions: surveyResults(
          settings.questions,
          completed.map((r) => r.answers),
        ),
      };
    },

    async surveyResponses(id: number, page: { limit: number; offset: number }) {
      await surveyOf(id);
      const { rows, total } = await store.responses(id, page);
      return {
        items: rows.map((r) => ({
          ...r,
          createdAt: r.createdAt.toISOString(),
          completedAt: r.completedAt?.toISOString() ?? null,
        })),
        total,
      };
    },

    async surveyResponsesCsv(id: number) {
      const { settings } = await surveyOf(id);
      const { rows } = await store.responses(id, { limit: 1_000_000, offset: 0 });
      const keys = settings.questions.map((q) => q.key);
      return csv(
        ["phoneNumber", "source", "completedAt", ...keys],
        rows.map((r) => [
          r.phoneNumber,
          r.source,
          r.completedAt?.toISOString() ?? "",
          ...keys.map((k) => {
            const v = r.answers[k];
            return v === undefined ? "" : Array.isArray(v) ? v.join("; ") : v;
          }),
        ]),
      );
    },
  };
}
export type HandoffService = ReturnType<typeof handoffService>;
