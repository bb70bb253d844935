import { randomUUID } from "node:crypto";
import type { InboundMessage, InboundResult } from "@switchboard/contracts/messages";
import { campaignEndsAt, channelLabels } from "@switchboard/domain/campaign";
import {
  type ConversationEvent,
  continueConversation,
  type InboundText,
  type Reply,
  resumeAt,
  startConversation,
  type Turn,
} from "@switchboard/domain/conversation/engine";
import type { CampaignRuntime, FlowSnapshot } from "@switchboard/domain/conversation/flow-snapshot";
import {
  type ConversationState,
  isExpired,
  isRunning,
  type Route,
  routeInbound,
} from "@switchboard/domain/conversation/session";
import { normalizeKeyword } from "@switchboard/domain/menu-entry";
import { serializePayload } from "@switchboard/domain/payload";
import { hourOf, turnFacts } from "@switchboard/domain/report/turn-facts";
import { brokeUniqueConstraint } from "../db/errors";
import type { StoredHeader } from "../dispatch/delivery-rows";
import { type DeliveryHandoff, outboxOnly } from "../dispatch/handoff";
import { AppError } from "../errors/app-error";
import type { ReturnTo } from "./handoff-queries";
import { type HandoffRunner, type HandoffStep, handoffRunner } from "./handoff-runner";
import type {
  CampaignRow,
  ConversationTx,
  DeliveryRow,
  Loaded,
  MessageRow,
  RuntimeStore,
  SessionRow,
} from "./runtime-store";

export interface SimulatedWebhook {
  deliveryId: string;
  entryId: string;
  mode: "response" | "option" | "raffle" | "survey";
  url: string;
  payload: string;
}

/** What one turn produced: the public answer, plus what the simulator shows the marketer. */
export interface TurnResult extends InboundResult {
  webhooks: SimulatedWebhook[];
  state: { nodeId: string | null; status: string | null };
}

/** The draft flow of a chatbot as a snapshot (version 0), for the simulator. */
export type DraftSource = (campaignId: number) => Promise<FlowSnapshot | null>;

type Mode = { kind: "live" } | { kind: "simulator"; campaignId: number; draft: FlowSnapshot | null };

/**
 * How a provider sender's replies go out: as outbound messages (deliveries of kind message) written in the turn's
 * transaction, one per reply, rather than only in the HTTP response.
 */
export type OutboundPlan = (
  replies: readonly Reply[],
  conversation: { sessionId: string | null; campaignId: number | null },
) => DeliveryRow[];

/** The part of a turn one session produced. */
interface Leg {
  sessionId: string;
  turn: Turn;
  /** A hand-off campaign's own webhook, already a delivery. */
  deliveries?: DeliveryRow[];
  /**
   * For the reports, set on a chatbot's leg only: the state the turn continued from (null: it started) and whether the
   * campaign still ran its flow. A hand-off campaign's step has neither and is counted by its own results.
   */
  before?: ConversationState | null;
  running?: boolean;
}

export function runtimeService(deps: {
  store: RuntimeStore;
  drafts: DraftSource;
  now: () => Date;
  /**
   * Told, after the commit, of the deliveries a turn queued. When it claims at insert (this process sends them), the
   * turn inserts them already claimed (attempt 1, leased) and hands them over whole, saving a claim (decision 0017).
   */
  handoff?: DeliveryHandoff | undefined;
  /** Told after each inbound turn commits: whether it answered, and the seconds from the message's arrival. */
  onInbound?: ((answered: boolean, seconds: number) => void) | undefined;
  /** false: turns are not counted in the reports (REPORT_EVENTS=off, to measure what counting costs). */
  countForReports?: boolean | undefined;
  /** Told after a turn that changed the Live Chat inbox committed: the inbox's live stream reads its events now. */
  onInbox?: (() => void) | undefined;
  /** The raffle's draw; seeded in tests. */
  random?: () => number;
  /** Signs personal web poll links (secrets/link-signature.ts); createApp always hands one in. */
  signLink?: (input: string) => string;
}) {
  const { store, drafts, now, onInbound, onInbox } = deps;
  const handoffs: HandoffRunner = handoffRunner({
    random: deps.random ?? Math.random,
    signLink:
      deps.signLink ??
      (() => {
        throw new Error("This runtime was made without a link signer: it cannot send web poll links.");
      }),
  });
  /** Where committed deliveries go: the deliveries' handoff, not a conversation's. */
  const webhooks = deps.handoff ?? outboxOnly;
  /** Once the turn has committed, hand the webhooks it queued over. */
  const committed = <T>(result: T, queued: readonly DeliveryRow[], test: boolean): T => {
    if (queued.length === 0) return result;
    // Messages inserted pending wait for their turn in the outbox; the rest were claimed at insert (or are webhooks).
    const waiting = queued.filter((d) => d.message && !(d.message.first && webhooks.leaseAtInsertMs !== null));
    if (waiting.length) webhooks.due(waiting.map((d) => d.id));
    if (waiting.length === queued.length) return result;
    const handed = new Set(waiting);
    webhooks.committed(
      queued
        .filter((d) => !handed.has(d))
        .map((d) => ({
          id: d.id,
          campaignId: d.campaignId,
          entryId: d.entryId,
          url: d.url,
          headers: d.headers as StoredHeader[],
          payload: d.payload,
          test,
          signingSecret: d.signingSecret,
          attempts: webhooks.leaseAtInsertMs === null ? 0 : 1,
          integrationId: d.integrationId,
          kind: d.message ? ("message" as const) : ("webhook" as const),
        })),
    );
    return result;
  };

  const runtimeOf = (c: CampaignRow, mode: Mode): CampaignRuntime => ({
    id: c.id,
    name: c.name,
    type: c.type,
    // The simulator plays a draft as if it were live.
    status: mode.kind === "simulator" ? "active" : c.status,
    endsAt: mode.kind === "simulator" ? null : campaignEndsAt(c, c.activatedAt),
    closingText: c.closingText,
    sessionTimeoutMinutes: c.sessionTimeoutMinutes,
  });

  /** The flow a conversation runs on: a published version, or in the simulator the draft (version 0). */
  const flowOf = async (tx: ConversationTx, c: CampaignRow, version: number | null, mode: Mode) => {
    if (c.type !== "chatbot") return null;
    if (mode.kind === "simulator" && c.id === mode.campaignId) return mode.draft;
    return version ? tx.flow(c.id, version) : null;
  };

  const routeFor = (
    tx: ConversationTx,
    text: string,
    current: { state: ConversationState; timeoutMinutes: number } | null,
    at: Date,
    mode: Mode,
    own: CampaignRow | null,
  ): Route => {
    if (mode.kind === "live") return routeInbound(text, tx.triggerCandidates(), current, at);
    // The simulator talks to one chatbot: its trigger keywords restart it, anything else continues a live session.
    const key = normalizeKeyword(text);
    const restart = own?.triggerKeywords.some((k) => normalizeKeyword(k) === key) ?? false;
    // A survey the previewed chatbot handed over to goes on too (a survey session is the only kind at node
    // "polls_surveys").
    const live =
      (current?.state.campaignId === mode.campaignId || current?.state.nodeId === "polls_surveys") &&
      current.state.status === "active" &&
      !isExpired(current.state, current.timeoutMinutes, at);
    return live && !restart ? { kind: "continue" } : { kind: "start", campaignId: mode.campaignId };
  };

  /** One inbound text, start to finish, inside the conversation's transaction. */
  async function turn(
    tx: ConversationTx,
    loaded: Loaded,
    input: InboundText,
    providerMessageId: string | null,
    mode: Mode,
    /** Receives the deliveries the turn queued. */
    queued: DeliveryRow[],
    where: { channel: InboundMessage["channel"]; origin: string },
    plan?: OutboundPlan,
  ): Promise<TurnResult> {
    const { session } = loaded;
    // While an agent has the conversation, the end user's messages go to the inbox, not the bot (trigger keywords too).
    if (mode.kind === "live" && session?.status === "live_chat") {
      const inbox = await tx.openLiveChat(session.id);
      if (inbox) return toInbox(tx, inbox, session, input, providerMessageId);
    }
    // A hand-off campaign may send from another sender than the chatbot that handed the conversation over.
    const sessionCampaign = loaded.sessionCampaign ?? (session ? await tx.campaign(session.campaignId) : null);
    const current =
      session && sessionCampaign ? { state: session, timeoutMinutes: sessionCampaign.sessionTimeoutMinutes } : null;
    const own = mode.kind === "simulator" ? await tx.campaign(mode.campaignId) : null;
    const route = routeFor(tx, input.text, current, input.receivedAt, mode, own);
    const attributesBefore = loaded.attributes;

    const legs: Leg[] = [];
    const handoffContext = (campaign: CampaignRow) => ({
      tx,
      campaign,
      channel: where.channel,
      active: mode.kind === "simulator" && campaign.id === mode.campaignId,
      text: input.text,
      replyId: input.replyId ?? null,
      receivedAt: input.receivedAt,
      origin: where.origin,
    });
    /** A hand-off campaign's step, and the chatbot it goes back to when it finished there. */
    const handoffLegs = async (step: HandoffStep, attributes: Record<string, string>) => {
      // A millisecond after the session that handed over, so the newest session is the one that answers next.
      const at = new Date(input.receivedAt.getTime() + 1);
      if (step.isNew) await tx.insertSession(step.state, at, step.sessionId);
      else await tx.updateSession(step.sessionId, step.state);
      legs.push({
        sessionId: step.sessionId,
        turn: { replies: step.replies, events: [], state: step.state, attributes },
        deliveries: step.deliveries,
      });
      const back = step.finished?.returnTo;
      if (back) await resume(back, attributes);
    };
    const resume = async (back: ReturnTo, attributes: Record<string, string>) => {
      const chatbot = await tx.campaign(back.campaignId);
      const flow = chatbot ? await flowOf(tx, chatbot, back.version, mode) : null;
      if (!chatbot || !flow) return;
      const resumed = resumeAt(flow, runtimeOf(chatbot, mode), back.nodeId, input, attributes);
      const at = new Date(input.receivedAt.getTime() + 2);
      legs.push({
        sessionId: await tx.insertSession(resumed.state, at),
        turn: resumed,
        before: null,
        running: true,
      });
    };

    if (route.kind === "start") {
      const campaign = route.campaignId === own?.id ? own : await tx.campaign(route.campaignId);
      const flow = campaign ? await flowOf(tx, campaign, campaign.publishedVersion, mode) : null;
      if (campaign && campaign.type !== "chatbot") {
        await handoffLegs(await handoffs.start(handoffContext(campaign), null), attributesBefore);
      } else if (campaign && flow) {
        const started = startConversation(flow, runtimeOf(campaign, mode), input, attributesBefore);
        const sessionId = await tx.insertSession(started.state, input.receivedAt);
        legs.push({ sessionId, turn: started, before: null, running: true });
      }
    } else if (route.kind === "continue" && session && sessionCampaign?.type === "polls_surveys") {
      await handoffLegs(await handoffs.answer(handoffContext(sessionCampaign), session.id), attributesBefore);
    } else if (route.kind === "continue" && session && sessionCampaign) {
      const flow = await flowOf(tx, sessionCampaign, session.version, mode);
      if (flow) {
        const continued = continueConversation(
          flow,
          runtimeOf(sessionCampaign, mode),
          session,
          input,
          attributesBefore,
        );
        await tx.updateSession(session.id, continued.state);
        const running = isRunning(runtimeOf(sessionCampaign, mode), input.receivedAt);
        legs.push({ sessionId: session.id, turn: continued, before: session, running });
      }
    }

    // A Campaign redirect hands the conversation over: a chatbot answers at once with its Welcome Message.
    const handoff = legs[0]?.turn.events.find((e) => e.kind === "handoff");
    const from = legs[0]?.turn.state;
    if (handoff?.kind === "handoff" && handoff.to.type === "campaign" && from) {
      const target = await tx.campaign(handoff.to.campaignId);
      const flow = target ? await flowOf(tx, target, target.publishedVersion, { kind: "live" }) : null;
      if (target && target.type !== "chatbot") {
        const back = handoff.to.continueAt
          ? { campaignId: from.campaignId, version: from.version, nodeId: handoff.to.continueAt }
          : null;
        await handoffLegs(
          await handoffs.start(handoffContext(target), back),
          legs[0]?.turn.attributes ?? attributesBefore,
        );
      } else if (target && flow) {
        const started = startConversation(
          flow,
          runtimeOf(target, { kind: "live" }),
          input,
          legs[0]?.turn.attributes ?? attributesBefore,
        );
        const sessionId = await tx.insertSession(started.state, input.receivedAt);
        legs.push({ sessionId, turn: started, before: null, running: true });
      }
    }
    if (mode.kind === "live") {
      if (deps.countForReports !== false) countForReports(tx, legs, input, session, sessionCampaign);
      // A Live Chat entry queues the conversation in its team's inbox (the simulator's conversations never reach it).
      for (const l of legs)
        for (const e of l.turn.events)
          if (e.kind === "handoff" && e.to.type === "live_chat")
            tx.handOver({
              id: randomUUID(),
              sessionId: l.sessionId,
              campaignId: l.turn.state.campaignId,
              entryId: e.to.entryId,
              version: l.turn.state.version,
              settings: e.to.settings,
              lastMessage: input.text,
              at: input.receivedAt,
            });
    }

    const last = legs.at(-1);
    const attributes = last?.turn.attributes ?? attributesBefore;
    if (JSON.stringify(attributes) !== JSON.stringify(attributesBefore))
      await tx.saveAttributes(attributes, input.receivedAt);

    const replies: Reply[] = legs.flatMap((l) => l.turn.replies);
    const deliveries = legs.flatMap((l) => [
      ...toDeliveries(l.turn.events, l.turn.state.campaignId, l.sessionId),
      ...(l.deliveries ?? []),
    ]);
    if (plan) {
      const messages = legs.flatMap((l) =>
        plan(l.turn.replies, { sessionId: l.sessionId, campaignId: l.turn.state.campaignId }),
      );
      // The turns of one conversation run one after another in this process, so when nothing of it waits in the
      // outbox its first message is next and may go out claimed at insert, as webhooks do; the rest wait their turn.
      const first = messages[0]?.message;
      if (first && !loaded.messagesWaiting && webhooks.leaseAtInsertMs !== null) first.first = true;
      deliveries.push(...messages);
    }
    const result: InboundResult = {
      messageId: randomUUID(),
      sessionId: last?.sessionId ?? null,
      campaignId: last?.turn.state.campaignId ?? null,
      replies,
      duplicate: false,
    };
    const outbound: MessageRow[] = legs.flatMap((l) =>
      l.turn.replies.map((r) => ({
        sessionId: l.sessionId,
        direction: "outbound" as const,
        text: r.text,
        options: r.options,
      })),
    );
    await tx.addMessages(
      [
        {
          id: result.messageId,
          sessionId: legs[0]?.sessionId ?? null,
          direction: "inbound",
          text: input.text,
          providerMessageId,
          // Kept to answer the provider's retries, which only a provider message id can identify.
          result: providerMessageId === null ? undefined : result,
        },
        ...outbound,
      ],
      input.receivedAt,
    );
    const lease = webhooks.leaseAtInsertMs;
    tx.addDeliveries(
      deliveries,
      input.receivedAt,
      lease === null ? null : new Date(input.receivedAt.getTime() + lease),
    );
    queued.push(...deliveries);
    return {
      ...result,
      webhooks: deliveries
        .filter((d) => !d.message)
        .map((d) => ({
          deliveryId: d.id,
          entryId: d.entryId,
          mode: d.mode as SimulatedWebhook["mode"],
          url: d.url,
          payload: d.payload,
        })),
      state: { nodeId: last?.turn.state.nodeId ?? null, status: last?.turn.state.status ?? null },
    };
  }

  /** A message for the inbox: kept in the transcript, unread for the agent, no bot answer. */
  async function toInbox(
    tx: ConversationTx,
    conversationId: string,
    session: SessionRow,
    input: InboundText,
    providerMessageId: string | null,
  ): Promise<TurnResult> {
    const result: InboundResult = {
      messageId: randomUUID(),
      sessionId: session.id,
      campaignId: session.campaignId,
      replies: [],
      duplicate: false,
    };
    await tx.addMessages(
      [
        {
          id: result.messageId,
          sessionId: session.id,
          direction: "inbound",
          text: input.text,
          providerMessageId,
          result: providerMessageId === null ? undefined : result,
        },
      ],
      input.receivedAt,
    );
    const at = input.receivedAt;
    tx.toInbox(conversationId, { id: result.messageId, kind: "user", text: input.text, at: at.toISOString() }, at);
    return { ...result, webhooks: [], state: { nodeId: session.nodeId, status: session.status } };
  }

  return {
    /** Outbound messages committed outside a turn (opt-out answers): due now. */
    messagesQueued(ids: readonly string[]) {
      if (ids.length) webhooks.due(ids);
    },

    /** A message from a channel provider: routed by trigger keyword, live session or Auto-Reply. */
    /** `origin`: where this installation is reached (a web poll's link); `plan`: the channel's outbound messages. */
    async receive(
      message: InboundMessage,
      options: { origin?: string; plan?: OutboundPlan; requestId?: string | undefined } = {},
    ): Promise<InboundResult> {
      const { origin = "http://127.0.0.1", plan, requestId } = options;
      // A monotonic clock for the latency metric: `now` may be a test's fixed clock.
      const arrived = performance.now();
      const input: InboundText = {
        phoneNumber: message.from,
        text: message.text,
        receivedAt: now(),
        replyId: message.replyId ?? null,
      };
      const conversation = {
        channel: message.channel,
        address: message.to,
        phoneNumber: message.from,
        test: false,
        providerMessageId: message.messageId ?? null,
        requestId,
      };
      let queued: DeliveryRow[] = [];
      let inboxChanged = false;
      const result = await store
        .inConversation(conversation, async (tx, loaded) => {
          // A turn may run twice (its shared commit failed): only the run that committed counts.
          queued = [];
          if (!loaded) {
            const detail = `No ${channelLabels[message.channel]} sender has the address ${message.to}.`;
            throw new AppError("validation_failed", detail, [
              { path: "body.to", code: "unknown_sender", message: detail },
            ]);
          }
          // Providers retry: a message id seen before gets the answer it got then, and nothing runs twice.
          if (loaded.replay) return { ...(loaded.replay as InboundResult), duplicate: true };
          // A provider's sender honours opt-outs (decision 0024): nothing runs for a number that opted out.
          if (plan && loaded.optedOut)
            return { messageId: randomUUID(), sessionId: null, campaignId: null, replies: [], duplicate: false };
          const {
            webhooks: _webhooks,
            state: _state,
            ...answer
          } = await turn(
            tx,
            loaded,
            input,
            message.messageId ?? null,
            { kind: "live" },
            queued,
            { channel: message.channel, origin },
            plan,
          );
          inboxChanged = tx.writes.liveChat.length > 0;
          return answer;
        })
        .catch((error: unknown) => {
          // A replay is looked up within its conversation; the same id from another number breaks the unique key.
          if (brokeUniqueConstraint(error, "conversation_message_sender_id_provider_message_id_key"))
            throw new AppError(
              "conflict",
              `The message id ${message.messageId} was already received by this sender from another phone number; nothing was done.`,
            );
          throw error;
        });
      onInbound?.(result.replies.length > 0, (performance.now() - arrived) / 1000);
      if (inboxChanged) onInbox?.();
      return committed(result, queued, false);
    },

    /** The editor's live preview: the same engine and storage as real traffic, on the draft, marked test. */
    async simulate(
      campaign: { id: number; senderAddress: string; channel: InboundMessage["channel"] },
      message: { phoneNumber: string; text: string; replyId?: string | undefined },
      origin = "http://127.0.0.1",
    ): Promise<TurnResult> {
      // Read before the turn's transaction: on the embedded database the pool has one connection, which the turn holds.
      const draft = await drafts(campaign.id);
      const input: InboundText = {
        phoneNumber: message.phoneNumber,
        text: message.text,
        receivedAt: now(),
        replyId: message.replyId ?? null,
      };
      const conversation = {
        channel: campaign.channel,
        address: campaign.senderAddress,
        phoneNumber: message.phoneNumber,
        test: true,
        providerMessageId: null,
      };
      let queued: DeliveryRow[] = [];
      const result = await store.inConversation(conversation, async (tx, loaded) => {
        if (!loaded) throw AppError.notFound("The campaign's sender");
        queued = [];
        return turn(tx, loaded, input, null, { kind: "simulator", campaignId: campaign.id, draft }, queued, {
          channel: campaign.channel,
          origin,
        });
      });
      return committed(result, queued, true);
    },
  };
}
export type RuntimeService = ReturnType<typeof runtimeService>;

/** The turn's part in its chatbots' reports (decision 0031); the simulator's conversations are never counted. */
function countForReports(
  tx: ConversationTx,
  legs: readonly Leg[],
  input: InboundText,
  session: SessionRow | null,
  sessionCampaign: CampaignRow | null,
): void {
  const facts = legs.flatMap((l, i) =>
    l.running !== undefined
      ? [
          turnFacts({
            sessionId: l.sessionId,
            turn: l.turn,
            before: l.before ?? null,
            running: l.running,
            inbound: input,
            receivedText: i === 0,
          }),
        ]
      : [],
  );
  // A conversation left past its timeout is seen expired when its phone number writes again.
  const timeoutMs = (sessionCampaign?.sessionTimeoutMinutes ?? 0) * 60_000;
  const lapsed =
    session &&
    sessionCampaign &&
    session.status === "active" &&
    isExpired(session, sessionCampaign.sessionTimeoutMinutes, input.receivedAt);
  const expired = lapsed
    ? {
        campaignId: session.campaignId,
        sessionId: session.id,
        hour: hourOf(new Date(session.lastActivityAt.getTime() + timeoutMs)),
      }
    : null;
  if (facts.length > 0 || expired) tx.countForReports(facts, expired, input.receivedAt);
}

function toDeliveries(events: ConversationEvent[], campaignId: number, sessionId: string): DeliveryRow[] {
  return events.flatMap((e) =>
    e.kind === "webhook"
      ? [
          {
            id: randomUUID(),
            campaignId,
            entryId: e.entryId,
            nodeId: e.nodeId,
            sessionId,
            mode: e.mode,
            url: e.webhook.url,
            headers: e.webhook.headers,
            payload: serializePayload(e.payload),
            signingSecret: e.webhook.signingSecret ?? null,
            integrationId: e.integrationId ?? null,
          },
        ]
      : [],
  );
}
