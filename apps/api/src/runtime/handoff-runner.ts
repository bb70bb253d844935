import { randomUUID } from "node:crypto";
import { type Channel, campaignEndsAt } from "@switchboard/domain/campaign";
import type { Reply } from "@switchboard/domain/conversation/engine";
import type { ConversationState } from "@switchboard/domain/conversation/session";
import { isRunning } from "@switchboard/domain/conversation/session";
import { rafflePayload, surveyPayload } from "@switchboard/domain/handoff/payloads";
import { type RaffleOutcome, raffleReply, wouldWin } from "@switchboard/domain/handoff/raffle";
import {
  defaultHandoffSettings,
  type HandoffSettings,
  type HandoffType,
  type HandoffWebhook,
  readHandoffSettings,
} from "@switchboard/domain/handoff/settings";
import { type Answers, mayRespond, parseAnswer } from "@switchboard/domain/handoff/survey";
import { questionReply, repromptReply } from "@switchboard/domain/handoff/survey-chat";
import { linkExpiry, linkSigningInput } from "@switchboard/domain/handoff/web-poll-link";
import type { JsonObject } from "@switchboard/domain/json";
import { type Payload, serializePayload } from "@switchboard/domain/payload";
import type { ReturnTo, StoredHandoff } from "./handoff-queries";
import type { CampaignRow, ConversationTx, DeliveryRow } from "./runtime-store";

/** What a hand-off campaign did in one turn. */
export interface HandoffStep {
  replies: Reply[];
  deliveries: DeliveryRow[];
  state: ConversationState;
  /** Set once the campaign is over for this conversation: where it goes on, if anywhere. */
  finished: { returnTo: ReturnTo | null } | null;
  /** The session this step belongs to: a new one (insert it), or the one that continued. */
  sessionId: string;
  isNew: boolean;
}

export interface HandoffContext {
  tx: ConversationTx;
  campaign: CampaignRow;
  channel: Channel;
  /** The simulator plays its own campaign as if it were active. */
  active: boolean;
  text: string;
  replyId: string | null;
  receivedAt: Date;
  /** https://host:port as the channel reached us: personal links start with it. */
  origin: string;
}

const plain = (text: string): Reply => ({ text, options: [], style: "text" });

/** The raffle, survey and web poll steps of a conversation; randomness and link signatures are handed in. */
export function handoffRunner(deps: { random: () => number; signLink: (input: string) => string }) {
  const running = (c: HandoffContext) =>
    isRunning(
      {
        status: c.active ? "active" : c.campaign.status,
        endsAt: c.active ? null : campaignEndsAt(c.campaign, c.campaign.activatedAt),
      },
      c.receivedAt,
    );

  const settingsOf = (c: HandoffContext, stored: StoredHandoff | null): HandoffSettings => {
    const settings = stored ? readHandoffSettings(stored.settings) : null;
    return settings?.type === c.campaign.type ? settings : defaultHandoffSettings(c.campaign.type as HandoffType);
  };

  const state = (c: HandoffContext, status: ConversationState["status"]): ConversationState => ({
    campaignId: c.campaign.id,
    version: 0,
    nodeId: c.campaign.type,
    awaitingEntryId: null,
    status,
    lastActivityAt: c.receivedAt,
  });

  const delivery = (
    c: HandoffContext,
    stored: StoredHandoff | null,
    webhook: HandoffWebhook | null,
    sessionId: string,
    mode: "raffle" | "survey",
    build: (extra: JsonObject) => Payload,
  ): DeliveryRow[] =>
    webhook && stored
      ? [
          {
            id: randomUUID(),
            campaignId: c.campaign.id,
            entryId: stored.webhookId,
            nodeId: stored.webhookId,
            sessionId,
            mode,
            url: webhook.url,
            headers: webhook.headers.map((h) => ({ name: h.name, value: h.value, secret: false })),
            payload: serializePayload(build(webhook.body as JsonObject)),
            signingSecret: stored.signingSecret,
            integrationId: null,
          },
        ]
      : [];

  const common = (c: HandoffContext) => ({
    campaignId: c.campaign.id,
    label: c.campaign.name,
    phoneNumber: c.tx.phoneNumber,
    receivedAt: c.receivedAt,
  });

  const finish = (
    c: HandoffContext,
    sessionId: string,
    isNew: boolean,
    replies: Reply[],
    returnTo: ReturnTo | null,
    deliveries: DeliveryRow[] = [],
  ): HandoffStep => ({
    replies,
    deliveries,
    state: state(c, "ended"),
    finished: { returnTo },
    sessionId,
    isNew,
  });

  async function raffle(c: HandoffContext, sessionId: string, returnTo: ReturnTo | null): Promise<HandoffStep> {
    // The settings row stays locked until the commit: this raffle's entries are numbered and drawn one at a time.
    const stored = await c.tx.handoffs.settings(c.campaign.id, true);
    const settings = settingsOf(c, stored);
    if (settings.type !== "raffle_giveaway") throw new Error("unreachable: a raffle holds raffle settings");
    let outcome: RaffleOutcome;
    let deliveries: DeliveryRow[] = [];
    if (await c.tx.handoffs.raffleEntered(c.campaign.id)) outcome = { kind: "already_entered" };
    else if (!running(c) || (await c.tx.handoffs.prizesLeft(c.campaign.id)) === 0) outcome = { kind: "over" };
    else {
      const number = (await c.tx.handoffs.participants(c.campaign.id)) + 1;
      const prize = wouldWin(settings.draw, number, deps.random) ? await c.tx.handoffs.awardPrize(c.campaign.id) : null;
      const entered = await c.tx.handoffs.addRaffleEntry({
        campaignId: c.campaign.id,
        sessionId,
        number,
        won: prize !== null,
        prize,
        at: c.receivedAt,
      });
      outcome = !entered ? { kind: "already_entered" } : prize ? { kind: "won", prize } : { kind: "lost" };
      if (entered) {
        deliveries = delivery(c, stored, settings.webhook, sessionId, "raffle", (extra) =>
          rafflePayload({ ...common(c), won: prize !== null, prize }, extra),
        );
      }
    }
    return finish(c, sessionId, true, [plain(raffleReply(settings.messages, outcome))], returnTo, deliveries);
  }

  const closed = (c: HandoffContext, sessionId: string, isNew: boolean, returnTo: ReturnTo | null) =>
    finish(c, sessionId, isNew, c.campaign.closingText ? [plain(c.campaign.closingText)] : [], returnTo);

  async function survey(c: HandoffContext, sessionId: string, returnTo: ReturnTo | null): Promise<HandoffStep> {
    if (!running(c)) return closed(c, sessionId, true, returnTo);
    const stored = await c.tx.handoffs.settings(c.campaign.id);
    const settings = settingsOf(c, stored);
    if (settings.type === "raffle_giveaway") throw new Error("unreachable: a survey holds survey settings");
    const before = await c.tx.handoffs.completedResponses(c.campaign.id);
    if (!mayRespond(before, settings.allowMultipleResponses)) {
      return finish(c, sessionId, true, [plain(settings.messages.alreadyAnswered)], returnTo);
    }
    const intro = settings.messages.intro.trim() ? [plain(settings.messages.intro)] : [];
    if (settings.type === "web_polls_surveys") {
      const id = randomUUID();
      const expiresAt = linkExpiry(
        c.receivedAt,
        settings.linkValidHours,
        c.active ? null : campaignEndsAt(c.campaign, c.campaign.activatedAt),
      );
      const signature = deps.signLink(
        linkSigningInput({ id, campaignId: c.campaign.id, phoneNumber: c.tx.phoneNumber, expiresAt }),
      );
      await c.tx.handoffs.addWebPollLink({ id, campaignId: c.campaign.id, sessionId, expiresAt, at: c.receivedAt });
      const link = `${c.origin}/s/${id}.${signature}`;
      return finish(c, sessionId, true, [plain(settings.linkMessage.replaceAll("{{link}}", link))], returnTo);
    }
    const first = settings.questions[0];
    if (!first) return closed(c, sessionId, true, returnTo);
    await c.tx.handoffs.startResponse({
      campaignId: c.campaign.id,
      sessionId,
      source: "chat",
      answers: {},
      questionIndex: 0,
      returnTo,
      completedAt: null,
      at: c.receivedAt,
    });
    return {
      replies: [...intro, questionReply(first, c.channel)],
      deliveries: [],
      state: state(c, "active"),
      finished: null,
      sessionId,
      isNew: true,
    };
  }

  return {
    /** A hand-off campaign takes the conversation (a Campaign redirect, or its own trigger keyword). */
    start(c: HandoffContext, returnTo: ReturnTo | null): Promise<HandoffStep> {
      const sessionId = randomUUID();
      return c.campaign.type === "raffle_giveaway" ? raffle(c, sessionId, returnTo) : survey(c, sessionId, returnTo);
    },

    /** The next answer of a survey over the chat: stored and the next question, or the reprompt, or the closing. */
    async answer(c: HandoffContext, sessionId: string): Promise<HandoffStep> {
      const open = await c.tx.handoffs.openResponse(sessionId);
      if (!open || !running(c)) return closed(c, sessionId, false, open?.returnTo ?? null);
      const stored = await c.tx.handoffs.settings(c.campaign.id);
      const settings = settingsOf(c, stored);
      if (settings.type !== "polls_surveys") return closed(c, sessionId, false, open.returnTo);
      const q = settings.questions[open.questionIndex];
      if (!q) return closed(c, sessionId, false, open.returnTo);
      const raw = c.replyId && q.type === "single_choice" ? c.replyId : c.text;
      const parsed = parseAnswer(q, raw);
      if (!parsed.ok) {
        return {
          replies: [repromptReply(q, c.channel)],
          deliveries: [],
          state: state(c, "active"),
          finished: null,
          sessionId,
          isNew: false,
        };
      }
      const answers: Answers = { ...open.answers, [q.key]: parsed.value };
      const next = settings.questions[open.questionIndex + 1];
      if (next) {
        await c.tx.handoffs.saveResponse(open.id, answers, open.questionIndex + 1, null);
        return {
          replies: [questionReply(next, c.channel)],
          deliveries: [],
          state: state(c, "active"),
          finished: null,
          sessionId,
          isNew: false,
        };
      }
      await c.tx.handoffs.saveResponse(open.id, answers, open.questionIndex + 1, c.receivedAt);
      const deliveries = delivery(c, stored, settings.webhook, sessionId, "survey", (extra) =>
        surveyPayload({ ...common(c), answers }, extra),
      );
      return finish(c, sessionId, false, [plain(settings.messages.closing)], open.returnTo, deliveries);
    },
  };
}
export type HandoffRunner = ReturnType<typeof handoffRunner>;
