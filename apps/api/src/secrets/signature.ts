import { createHmac, randomBytes } from "node:crypto";

/** A new endpoint signing secret in Standard Webhooks form: whsec_ and 32 random bytes, base64. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/**
 * The Standard Webhooks signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> for each secret (during a rotation
 * both the old and the new secret sign), space-separated.
 */
export function sign(secrets: readonly string[], id: string, timestampSeconds: number, body: string): string {
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
      return `v1,${createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64")}`;
    })
    .join(" ");
}
