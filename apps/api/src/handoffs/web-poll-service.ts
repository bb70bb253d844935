import { randomUUID } from "node:crypto";
import { campaignEndsAt } from "@switchboard/domain/campaign";
import { isRunning } from "@switchboard/domain/conversation/session";
import { surveyPayload } from "@switchboard/domain/handoff/payloads";
import {
  defaultHandoffSettings,
  type HandoffWebhook,
  type WebSurveySettings,
} from "@switchboard/domain/handoff/settings";
import { type Answers, mayRespond, parseAnswer, type Question } from "@switchboard/domain/handoff/survey";
import { linkSigningInput, linkState, parseLinkToken } from "@switchboard/domain/handoff/web-poll-link";
import type { JsonObject } from "@switchboard/domain/json";
import { serializePayload } from "@switchboard/domain/payload";
import type { HandoffStore } from "./handoff-store";
import type { WebDelivery, WebPollStore } from "./web-poll-store";

/** What the public page shows. */
export type WebPollPage =
  | {
      kind: "form";
      title: string;
      intro: string;
      questions: Question[];
      /** What was sent, to fill the form again after an error. */
      values: Record<string, string[]>;
      /** Per question key: the message shown beside the field. */
      errors: Record<string, string>;
    }
  | { kind: "thanks"; title: string; message: string }
  | { kind: "gone"; reason: "used" | "expired" | "closed" | "answered"; message: string }
  | { kind: "invalid" };

const goneMessages = {
  used: "This link was already used: your answers were received. Thank you!",
  expired: "This link has expired. Ask for a new one by writing to us again.",
  closed: "This survey is closed. Thank you for your interest.",
} as const;

/** The Web Polls & Surveys public page: a personal link checked, its form validated, its one submission stored. */
export function webPollService(deps: {
  store: WebPollStore;
  settings: Pick<HandoffStore, "settings">;
  verify: (input: string, signature: string) => boolean;
  now: () => Date;
  /** Tells the dispatcher of the delivery a submission queued. */
  due: (deliveryIds: string[]) => void;
}) {
  const { store, now } = deps;

  /** The link a token names, if its signature holds, with its survey's settings. */
  const open = async (token: string) => {
    const parsed = parseLinkToken(token);
    if (!parsed) return null;
    const found = await store.link(parsed.id);
    if (found?.campaign.type !== "web_polls_surveys") return null;
    const { link, campaign } = found;
    const input = linkSigningInput({
      id: link.id,
      campaignId: link.campaignId,
      phoneNumber: link.phoneNumber,
      expiresAt: link.expiresAt,
    });
    if (!deps.verify(input, parsed.signature)) return null;
    const stored = await deps.settings.settings(campaign.id);
    const settings = (
      stored?.settings.type === "web_polls_surveys" ? stored.settings : defaultHandoffSettings("web_polls_surveys")
    ) as WebSurveySettings & { webhook: HandoffWebhook | null };
    // A simulator link plays the survey as if it were active.
    const running =
      link.test ||
      isRunning({ status: campaign.status, endsAt: campaignEndsAt(campaign, campaign.activatedAt) }, now());
    return { link, campaign, settings, stored, running };
  };

  const form = (s: WebSurveySettings, values: Record<string, string[]> = {}, errors: Record<string, string> = {}) =>
    ({ kind: "form", title: s.title, intro: s.messages.intro, questions: s.questions, values, errors }) as const;

  /** Why a link takes no submission, or null when it does. */
  const refusal = async (o: NonNullable<Awaited<ReturnType<typeof open>>>): Promise<WebPollPage | null> => {
    const state = linkState(o.link, o.running, now());
    if (state !== "open") return { kind: "gone", reason: state, message: goneMessages[state] };
    const before = await store.completedResponses(o.campaign.id, o.link.phoneNumber, o.link.test);
    if (!mayRespond(before, o.settings.allowMultipleResponses)) {
      return { kind: "gone", reason: "answered", message: o.settings.messages.alreadyAnswered };
    }
    return null;
  };

  return {
    async show(token: string): Promise<WebPollPage> {
      const o = await open(token);
      if (!o) return { kind: "invalid" };
      return (await refusal(o)) ?? form(o.settings);
    },

    async submit(token: string, body: Record<string, unknown>, requestId?: string): Promise<WebPollPage> {
      const o = await open(token);
      if (!o) return { kind: "invalid" };
      const refused = await refusal(o);
      if (refused) return refused;
      const values: Record<string, string[]> = {};
      const errors: Record<string, string> = {};
      const answers: Answers = {};
      for (const q of o.settings.questions) {
        const sent = body[q.key];
        const list = (Array.isArray(sent) ? sent : sent === undefined ? [] : [sent])
          .filter((v): v is string => typeof v === "string")
          .slice(0, 50);
        values[q.key] = list;
        const parsed = parseAnswer(q, q.type === "multiple_choice" ? list : (list[0] ?? ""));
        if (parsed.ok) answers[q.key] = parsed.value;
        else errors[q.key] = parsed.message;
      }
      if (Object.keys(errors).length > 0) return form(o.settings, values, errors);
      const at = now();
      const webhook = o.settings.webhook;
      const delivery: WebDelivery | null =
        webhook && o.stored
          ? {
              id: randomUUID(),
              entryId: o.stored.webhookId,
              url: webhook.url,
              headers: webhook.headers.map((h) => ({ ...h, secret: false })),
              payload: serializePayload(
                surveyPayload(
                  {
                    campaignId: o.campaign.id,
                    label: o.campaign.name,
                    phoneNumber: o.link.phoneNumber,
                    receivedAt: at,
                    answers,
                  },
                  webhook.body as JsonObject,
                ),
              ),
              signingSecret: o.stored.signingSecret,
            }
          : null;
      const line = `[Web Polls & Surveys] ${o.settings.questions.map((q) => `${q.key}: ${String(answers[q.key])}`).join("; ")}`;
      const stored = await store.submit({ link: o.link, answers, transcriptLine: line, delivery, at, requestId });
      if (!stored) return { kind: "gone", reason: "used", message: goneMessages.used };
      if (delivery) deps.due([delivery.id]);
      return { kind: "thanks", title: o.settings.title, message: o.settings.messages.closing };
    },
  };
}
export type WebPollService = ReturnType<typeof webPollService>;
