import { issue, type RuleIssue } from "./issue";

export const campaignTypes = ["chatbot", "raffle_giveaway", "polls_surveys", "web_polls_surveys"] as const;
export type CampaignType = (typeof campaignTypes)[number];

export const campaignTypeLabels: Record<CampaignType, string> = {
  chatbot: "Chatbot",
  raffle_giveaway: "Raffle Giveaway",
  polls_surveys: "Polls & Surveys",
  web_polls_surveys: "Web Polls & Surveys",
};

export const channels = ["sms", "whatsapp"] as const;
export type Channel = (typeof channels)[number];

export const channelLabels: Record<Channel, string> = { sms: "SMS", whatsapp: "WhatsApp" };

export const campaignStatuses = ["draft", "active", "ended"] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

export const campaignStatusLabels: Record<CampaignStatus, string> = {
  draft: "Draft",
  active: "Active",
  ended: "Ended",
};

export const CAMPAIGN_NAME_MAX = 100;
export const EXPIRY_HOURS_MAX = 24 * 366;

/** The number of Interactions a new chatbot starts with, besides its Welcome Message. */
export const defaultInteractionCount: Record<Channel, number> = { sms: 3, whatsapp: 5 };

export const WELCOME_MESSAGE_LABEL = "Welcome Message";

export interface CampaignExpiry {
  /** A fixed moment. */
  expiresAt: Date | null;
  /** Or a duration counted from the moment the campaign became active. */
  expiresAfterHours: number | null;
}

export function validateCampaignName(name: string): RuleIssue[] {
  const trimmed = name.trim();
  if (trimmed.length === 0) return [issue(["name"], "required", "Name is required.")];
  if (trimmed.length > CAMPAIGN_NAME_MAX) {
    return [
      issue(["name"], "too_long", `Name must be at most ${CAMPAIGN_NAME_MAX} characters (it has ${trimmed.length}).`),
    ];
  }
  return [];
}

export function validateExpiry(expiry: CampaignExpiry, now: Date): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (expiry.expiresAt && expiry.expiresAfterHours !== null) {
    issues.push(
      issue(["expiresAfterHours"], "expiry_conflict", "Set either an expiry date or a duration in hours, not both."),
    );
  }
  if (expiry.expiresAt && expiry.expiresAt.getTime() <= now.getTime()) {
    issues.push(issue(["expiresAt"], "in_the_past", "The expiry date must be in the future."));
  }
  const hours = expiry.expiresAfterHours;
  if (hours !== null && (!Number.isInteger(hours) || hours < 1 || hours > EXPIRY_HOURS_MAX)) {
    issues.push(
      issue(
        ["expiresAfterHours"],
        "out_of_range",
        `The duration must be a whole number of hours from 1 to ${EXPIRY_HOURS_MAX}.`,
      ),
    );
  }
  return issues;
}

/** When a campaign stops answering with its flow, or null when it runs until it is ended. */
export function campaignEndsAt(expiry: CampaignExpiry, activatedAt: Date | null): Date | null {
  if (expiry.expiresAt) return expiry.expiresAt;
  if (expiry.expiresAfterHours !== null && activatedAt) {
    return new Date(activatedAt.getTime() + expiry.expiresAfterHours * 3_600_000);
  }
  return null;
}

export function senderMatchesChannel(senderChannel: Channel, campaignChannel: Channel): RuleIssue[] {
  if (senderChannel === campaignChannel) return [];
  return [
    issue(
      ["senderId"],
      "sender_channel_mismatch",
      `This sender is for ${channelLabels[senderChannel]}; a ${channelLabels[campaignChannel]} campaign needs a ${channelLabels[campaignChannel]} sender.`,
    ),
  ];
}
