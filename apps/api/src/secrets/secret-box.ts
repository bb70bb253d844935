import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { maskSecret } from "@switchboard/domain/webhook";

const PREFIX = "sb1";

export class SecretKeyError extends Error {}

/**
 * Seals secret values with AES-256-GCM. A sealed value reads `sb1.<hint>.<iv>.<ciphertext+tag>` (base64url): the hint is
 * the masked form (at most the last 4 characters), bound to the ciphertext as associated data, so lists can show
 * `••••1234` without decrypting anything. Only the dispatcher (at send time) and an admin's audited reveal open values.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new SecretKeyError("The secret key must be 32 bytes.");
  }

  /** The key's bytes, for the dispatcher thread (a copy; never logged or sent anywhere else). */
  keyForThread(): Uint8Array {
    return new Uint8Array(this.key);
  }

  static isSealed(value: string): boolean {
    return value.startsWith(`${PREFIX}.`);
  }

  seal(plain: string): string {
    const hint = Buffer.from(maskSecret(plain)).toString("base64url");
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(hint));
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return [PREFIX, hint, iv.toString("base64url"), body.toString("base64url")].join(".");
  }

  /** The plain value; throws when the value was tampered with or sealed with another key. */
  open(sealed: string): string {
    const parts = sealed.split(".");
    if (parts.length !== 4 || parts[0] !== PREFIX) throw new SecretKeyError("This value is not a sealed secret.");
    const [, hint, iv, body] = parts as [string, string, string, string];
    const data = Buffer.from(body, "base64url");
    if (data.length < 16) throw new SecretKeyError("This sealed secret is truncated.");
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(hint));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretKeyError(
        "A sealed secret could not be opened: it was changed in the database, or sealed with a different SECRET_KEY.",
      );
    }
  }

  /** Opens sealed values; anything else (a value stored before sealing existed) passes through. */
  reveal(value: string): string {
    return SecretBox.isSealed(value) ? this.open(value) : value;
  }

  /** What anyone may see of a stored secret: ••••, plus the last 4 characters of long values. */
  static mask(value: string): string {
    if (!SecretBox.isSealed(value)) return maskSecret(value);
    return Buffer.from(value.split(".")[1] ?? "", "base64url").toString("utf8") || "••••";
  }
}
