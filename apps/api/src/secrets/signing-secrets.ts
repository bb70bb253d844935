import { newSigningSecret } from "./signature";

/** An endpoint's signing secrets as stored (sealed): during a rotation's overlap the previous one signs too. */
export interface SigningSecrets {
  signingSecret: string;
  previousSigningSecret: string | null;
  previousSigningSecretUntil: Date | null;
}

/** A new endpoint signing secret, sealed for storage. */
export function newSealedSigningSecret(seal: (plain: string) => string): string {
  return seal(newSigningSecret());
}

/**
 * A new signing secret (sealed for storage, in clear for the one answer that shows it), and the previous one kept
 * signing until the overlap ends, so receivers can switch without losing a delivery. Webhooks and integrations rotate
 * the same way.
 */
export function rotatedSigningSecrets(
  seal: (plain: string) => string,
  now: Date,
  previous: string | null,
  overlapHours: number,
): { stored: SigningSecrets; shown: { secret: string; previousValidUntil: string | null } } {
  const secret = newSigningSecret();
  const until = overlapHours > 0 && previous ? new Date(now.getTime() + overlapHours * 3600_000) : null;
  return {
    stored: {
      signingSecret: seal(secret),
      previousSigningSecret: until ? previous : null,
      previousSigningSecretUntil: until,
    },
    shown: { secret, previousValidUntil: until?.toISOString() ?? null },
  };
}
