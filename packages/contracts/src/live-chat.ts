import { providers } from "@switchboard/domain/messaging/provider";
import { z } from "zod";
import { outboundState } from "./channels";
import { listOf, timestamp, userText, uuid } from "./common";

/** Live Chat: a Redirect Type that hands the conversation to a team's inbox until an agent closes it. */

export const LIVE_CHAT_MESSAGE_MAX = 1024;
export const TEAM_NAME_MAX = 80;
export const TIMEOUT_MINUTES_MAX = 1440;

const message = (what: string) =>
  userText()
    .trim()
    .min(1, `${what} is required.`)
    .max(LIVE_CHAT_MESSAGE_MAX, `${what} is at most ${LIVE_CHAT_MESSAGE_MAX} characters.`);

/** Whether the runtime's Intl knows the zone (the opening hours are read in it). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "A time such as 09:00 (24-hour clock).");

// Per-entry settings (stored on a menu entry whose Redirect Type is Live Chat)

/** One day's opening hours; `day` 0 is Sunday. Times are in the deployment's time zone (see `timeZone`). */
export const openingHoursDay = z
  .strictObject({
    day: z.number().int().min(0).max(6, "Days are 0 (Sunday) to 6 (Saturday)."),
    from: clockTime,
    to: clockTime,
  })
  .refine((d) => d.from < d.to, { message: "Opening time must be before closing time.", path: ["to"] });

export const openingHours = z
  .strictObject({
    timeZone: userText()
      .max(64)
      .default("UTC")
      .refine(isTimeZone, "Not a time zone: use an IANA name such as Europe/Berlin or America/Mexico_City.")
      .meta({ description: "An IANA time zone such as Europe/Berlin." }),
    days: z.array(openingHoursDay).max(21, "At most 21 opening periods."),
  })
  .meta({ id: "LiveChatOpeningHours" });

/** What happens when nobody takes a waiting conversation in time (or it arrives outside opening hours). */
export const liveChatTimeoutAction = z.discriminatedUnion(
  "action",
  [
    z.strictObject({ action: z.literal("bot"), message: message("The timeout message"), nodeId: uuid }),
    z.strictObject({ action: z.literal("end"), message: message("The timeout message") }),
  ],
  { error: "On timeout: back to the bot at a node, or end." },
);

export const liveChatSettings = z
  .strictObject({
    handoverMessage: message("The hand-over message").default("An agent will be with you shortly."),
    teamId: uuid.nullable().default(null).meta({ description: "The team whose inbox receives it; null: every agent." }),
    timeoutMinutes: z
      .number({ error: "The timeout is a number of minutes." })
      .int("The timeout is a whole number of minutes.")
      .min(1, "The timeout is at least 1 minute.")
      .max(TIMEOUT_MINUTES_MAX, `The timeout is at most ${TIMEOUT_MINUTES_MAX} minutes.`)
      .default(10),
    openingHours: openingHours.nullable().default(null).meta({ description: "null: always open." }),
    onTimeout: liveChatTimeoutAction,
  })
  .meta({ id: "LiveChatSettings" });
export type LiveChatSettings = z.infer<typeof liveChatSettings>;

// Teams and members (admins manage them)

const teamName = userText()
  .trim()
  .min(1, "The team's name is required.")
  .max(TEAM_NAME_MAX, `A team's name is at most ${TEAM_NAME_MAX} characters.`);

export const teamMember = z
  .object({ userId: uuid, name: z.string(), email: z.string(), role: z.string() })
  .meta({ id: "TeamMember" });
export const team = z
  .object({ id: uuid, name: z.string(), members: z.array(teamMember), createdAt: timestamp })
  .meta({ id: "Team" });
export const teamList = listOf(team).meta({ id: "TeamList" });
export const teamInput = z.strictObject({ name: teamName }).meta({ id: "TeamInput" });
export const teamMemberInput = z.strictObject({ userId: uuid }).meta({ id: "TeamMemberInput" });
export const teamParams = z.object({ teamId: uuid });
export const teamMemberParams = z.object({ teamId: uuid, userId: uuid });

// Inbox

export const liveChatStates = ["waiting", "assigned", "closed"] as const;
export const liveChatState = z.enum(liveChatStates);
export const inboxViews = ["waiting", "mine", "closed"] as const;
export const inboxQuery = z.object({
  view: z.enum(inboxViews, { error: "view is waiting, mine or closed." }).default("waiting"),
});

const agentRef = z.object({ userId: uuid, name: z.string() }).nullable();
const teamRef = z.object({ id: uuid, name: z.string() }).nullable();

export const inboxItem = z
  .object({
    id: uuid,
    state: liveChatState,
    phoneNumber: z.string(),
    contactName: z.string().nullable(),
    campaign: z.object({ id: z.number().int(), name: z.string() }),
    provider: z.enum(providers),
    team: teamRef,
    agent: agentRef,
    lastMessage: z.string().nullable(),
    waitingSince: timestamp,
    waitSeconds: z.number().int().meta({ description: "Waiting time until taken (or until now while waiting)." }),
    unread: z.number().int().meta({ description: "End-user messages the assigned agent has not read." }),
    updatedAt: timestamp,
    closedAt: timestamp.nullable(),
  })
  .meta({ id: "InboxItem" });
export const inboxList = listOf(inboxItem).meta({ id: "InboxList" });

export const transcriptKinds = ["bot", "user", "agent", "system"] as const;
export const transcriptItem = z
  .object({
    id: z.string(),
    kind: z.enum(transcriptKinds),
    text: z.string(),
    at: timestamp,
    agent: agentRef.optional().meta({ description: "For agent replies and system events caused by an agent." }),
    delivery: z
      .object({ id: uuid, state: outboundState, reason: z.string().nullable() })
      .nullable()
      .optional()
      .meta({ description: "For agent replies: the outbound message's delivery state." }),
  })
  .meta({ id: "TranscriptItem" });

export const liveChatConversation = z
  .object({
    ...inboxItem.shape,
    transcript: z.array(transcriptItem),
    attributes: z.record(z.string(), z.string()),
    optedOut: z.boolean(),
    whatsappWindow: z
      .object({ open: z.boolean(), closesAt: timestamp.nullable() })
      .nullable()
      .meta({ description: "null on channels without a 24-hour window (SMS, HTTP)." }),
    replyMax: z.number().int().meta({ description: "The channel's longest message, in characters." }),
  })
  .meta({ id: "LiveChatConversation" });

export const conversationParams = z.object({ conversationId: uuid });
export const replyInput = z.strictObject({ text: message("The reply") }).meta({ id: "LiveChatReplyInput" });
export const transferInput = z
  .union([z.strictObject({ userId: uuid }), z.strictObject({ teamId: uuid })], {
    error: "Transfer to an agent (userId) or a team (teamId).",
  })
  .meta({ id: "LiveChatTransferInput" });
export const closeInput = z
  .strictObject({ message: message("The closing message").optional() })
  .meta({ id: "LiveChatCloseInput" });
export const agentList = listOf(z.object({ userId: uuid, name: z.string(), teamIds: z.array(uuid) })).meta({
  id: "AgentList",
});

// Live updates: GET /api/v1/inbox/events (Server-Sent Events; `event:` is the type, `data:` the JSON below)

export const inboxEventTypes = [
  "conversation.queued",
  "conversation.taken",
  "conversation.transferred",
  "conversation.closed",
  "conversation.timed_out",
  "message.created",
  "message.delivery",
  "conversation.read",
] as const;
export const inboxEvent = z
  .object({
    id: z.string().meta({ description: "Also the SSE `id:`; send it back as Last-Event-ID to replay." }),
    type: z.enum(inboxEventTypes),
    conversationId: uuid,
    teamId: uuid.nullable(),
    agentId: uuid.nullable(),
    item: transcriptItem.nullable().meta({ description: "The transcript item, for message.* and system events." }),
    at: timestamp,
  })
  .meta({ id: "InboxEvent" });
export type InboxEvent = z.infer<typeof inboxEvent>;
