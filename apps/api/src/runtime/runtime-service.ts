import { randomUUID } from "node:crypto";
import type { InboundMessage, InboundResult } from "@switchboard/contracts/messages";
import { campaignEndsAt, channelLabels } from "@switchboard/domain/campaign";
import {
  type ConversationEvent,
  continueConversation,
  type InboundText,
  type Reply,
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
import type { StoredHeader } from "../dispatch/delivery-rows";
import { type DeliveryHandoff, outboxOnly } from "../dispatch/handoff";
import { AppError } from "../errors/app-error";
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
  mode: "response" | "option";
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

/** The part of a turn one session produced. */
interface Leg {
  sessionId: string;
  turn: Turn;
  /** For the reports: the state the turn continued from (null: it started), and whether the flow still ran. */
  before: ConversationState | null;
  flow: FlowSnapshot;
  running: boolean;
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
  onInbound?: ((answered: boolean) => void) | undefined;
}) {
  const { store, drafts, now, onInbound } = deps;
  /** Where committed deliveries go: the deliveries' handoff, not a conversation's. */
  const webhooks = deps.handoff ?? outboxOnly;
  /** Once the turn has committed, hand the webhooks it queued over. */
  const committed = <T>(result: T, queued: readonly DeliveryRow[], test: boolean): T => {
    if (queued.length === 0) return result;
    webhooks.committed(
      queued.map((d) => ({
        id: d.id,
        entryId: d.entryId,
        url: d.url,
        headers: d.headers as StoredHeader[],
        payload: d.payload,
        test,
        signingSecret: d.signingSecret,
        attempts: webhooks.leaseAtInsertMs === null ? 0 : 1,
        integrationId: d.integrationId,
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
    const live =
      current?.state.campaignId === mode.campaignId &&
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
  ): Promise<TurnResult> {
    const { session, sessionCampaign } = loaded;
    const current =
      session && sessionCampaign ? { state: session, timeoutMinutes: sessionCampaign.sessionTimeoutMinutes } : null;
    const own = mode.kind === "simulator" ? await tx.campaign(mode.campaignId) : null;
    const route = routeFor(tx, input.text, current, input.receivedAt, mode, own);
    const attributesBefore = loaded.attributes;

    const legs: Leg[] = [];
    if (route.kind === "start") {
      const campaign = route.campaignId === own?.id ? own : await tx.campaign(route.campaignId);
      const flow = campaign ? await flowOf(tx, campaign, campaign.publishedVersion, mode) : null;
      if (campaign && flow) {
        const started = startConversation(flow, runtimeOf(campaign, mode), input, attributesBefore);
        const sessionId = await tx.insertSession(started.state, input.receivedAt);
        legs.push({ sessionId, turn: started, before: null, flow, running: true });
      }
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
        legs.push({ sessionId: session.id, turn: continued, before: session, flow, running });
      }
    }

    // A Campaign redirect hands the conversation over: a chatbot answers at once with its Welcome Message.
    const handoff = legs[0]?.turn.events.find((e) => e.kind === "handoff");
    if (handoff?.kind === "handoff" && handoff.to.type === "campaign") {
      const target = await tx.campaign(handoff.to.campaignId);
      const flow = target ? await flowOf(tx, target, target.publishedVersion, { kind: "live" }) : null;
      if (target && flow) {
        const started = startConversation(
          flow,
          runtimeOf(target, { kind: "live" }),
          input,
          legs[0]?.turn.attributes ?? attributesBefore,
        );
        const sessionId = await tx.insertSession(started.state, input.receivedAt);
        legs.push({ sessionId, turn: started, before: null, flow, running: true });
      }
    }
    if (mode.kind === "live") countForReports(tx, legs, input, session, sessionCampaign);

    const last = legs.at(-1);
    const attributes = last?.turn.attributes ?? attributesBefore;
    if (JSON.stringify(attributes) !== JSON.stringify(attributesBefore))
      await tx.saveAttributes(attributes, input.receivedAt);

    const replies: Reply[] = legs.flatMap((l) => l.turn.replies);
    const deliveries = legs.flatMap((l) => toDeliveries(l.turn.events, l.turn.state.campaignId, l.sessionId));
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
      webhooks: deliveries.map((d) => ({
        deliveryId: d.id,
        entryId: d.entryId,
        mode: d.mode as SimulatedWebhook["mode"],
        url: d.url,
        payload: d.payload,
      })),
      state: { nodeId: last?.turn.state.nodeId ?? null, status: last?.turn.state.status ?? null },
    };
  }

  return {
    /** A message from a channel provider: routed by trigger keyword, live session or Auto-Reply. */
    async receive(message: InboundMessage): Promise<InboundResult> {
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
      };
      let queued: DeliveryRow[] = [];
      const result = await store.inConversation(conversation, async (tx, loaded) => {
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
        const {
          webhooks: _webhooks,
          state: _state,
          ...answer
        } = await turn(tx, loaded, input, message.messageId ?? null, { kind: "live" }, queued);
        return answer;
      });
      onInbound?.(result.replies.length > 0);
      return committed(result, queued, false);
    },

    /** The editor's live preview: the same engine and storage as real traffic, on the draft, marked test. */
    async simulate(
      campaign: { id: number; senderAddress: string; channel: InboundMessage["channel"] },
      message: { phoneNumber: string; text: string; replyId?: string | undefined },
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
        return turn(tx, loaded, input, null, { kind: "simulator", campaignId: campaign.id, draft }, queued);
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
  const facts = legs.map((l, i) => turnFacts({ ...l, inbound: input, receivedText: i === 0 }));
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
