import { maskSecret } from "@switchboard/domain/webhook";

/** A header as it was sent: `secret` when its value may not be shown. */
export interface SentHeader {
  name: string;
  secret: boolean;
}

/**
 * The request headers an attempt shows (its log in the Deliveries view, a Send test's record): what was sent, every
 * header sent as a secret masked to its last four characters. Which ones are secret is read from the headers as sent
 * (sealed values, admin-made secret headers and an integration's headers, opened at send time), not from the
 * delivery's own list, which holds no integration's headers. Names compare as HTTP's do, case aside.
 */
export function shownAttemptHeaders(
  sent: Readonly<Record<string, string>>,
  headers: readonly SentHeader[],
): Record<string, string> {
  const secret = new Set(headers.filter((h) => h.secret).map((h) => h.name.toLowerCase()));
  if (secret.size === 0) return { ...sent };
  return Object.fromEntries(
    Object.entries(sent).map(([name, value]) => [name, secret.has(name.toLowerCase()) ? maskSecret(value) : value]),
  );
}
