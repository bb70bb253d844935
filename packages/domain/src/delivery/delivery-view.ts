/** What the Deliveries view reads from a payload: the option chosen and the end user's phone number. */
export function payloadFacts(payload: string): { option: string | null; phoneNumber: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { option: null, phoneNumber: null };
  }
  const o = (parsed && typeof parsed === "object" ? parsed : {}) as Record<string, unknown>;
  return {
    option: typeof o.option === "string" ? o.option : null,
    phoneNumber: typeof o.phoneNumber === "string" ? o.phoneNumber : null,
  };
}

/** A phone number as people other than admins see it: its last four digits only. */
export function maskPhoneNumber(phoneNumber: string): string {
  return `••••${phoneNumber.replace(/\D/g, "").slice(-4)}`;
}

/**
 * Attempts in time order, each with its round: 1 for the first delivery, 2 for the first Resend (or Recover), and so
 * on. A resend starts again at attempt 1, so a number not above the one before marks a new round.
 */
export function attemptRounds<A extends { number: number; startedAt: Date }>(attempts: readonly A[]) {
  const ordered = [...attempts].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.number - b.number);
  let round = 0;
  let previous = Number.POSITIVE_INFINITY;
  return ordered.map((a) => {
    if (a.number <= previous) round += 1;
    previous = a.number;
    return { ...a, round };
  });
}
