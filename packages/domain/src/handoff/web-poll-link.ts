/**
 * A personal Web Polls & Surveys link: `<link id>.<signature>`, the signature over the link id, the survey, the phone
 * number and the expiry. The HMAC itself is the API's (the domain does no cryptography); these are its rules.
 */

export const LINK_VALID_HOURS_DEFAULT = 72;
export const LINK_VALID_HOURS_MAX = 24 * 30;

export interface WebPollLinkFacts {
  id: string;
  campaignId: number;
  phoneNumber: string;
  expiresAt: Date;
}

/** What the signature covers: change any of these and the token no longer verifies. */
export function linkSigningInput(link: WebPollLinkFacts): string {
  return `web-poll-link:v1:${link.id}:${link.campaignId}:${link.phoneNumber}:${link.expiresAt.getTime()}`;
}

const tokenPattern = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{20,100})$/;

/** The link id and signature of a token, or null when it is not shaped like one. */
export function parseLinkToken(token: string): { id: string; signature: string } | null {
  const m = tokenPattern.exec(token);
  return m ? { id: m[1] as string, signature: m[2] as string } : null;
}

export type LinkState = "open" | "expired" | "used" | "closed";

/** Whether a link still takes its one submission: unused, before its expiry, and its survey still running. */
export function linkState(
  link: { expiresAt: Date; usedAt: Date | null },
  surveyRunning: boolean,
  now: Date,
): LinkState {
  if (link.usedAt) return "used";
  if (now.getTime() >= link.expiresAt.getTime()) return "expired";
  if (!surveyRunning) return "closed";
  return "open";
}

/** Where a link expires: its validity from the moment it was sent, but never after the survey ends. */
export function linkExpiry(sentAt: Date, validHours: number, surveyEndsAt: Date | null): Date {
  const byValidity = new Date(sentAt.getTime() + validHours * 3_600_000);
  return surveyEndsAt && surveyEndsAt.getTime() < byValidity.getTime() ? surveyEndsAt : byValidity;
}
