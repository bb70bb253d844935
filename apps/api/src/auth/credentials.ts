import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id minimum (19 MiB, 2 passes): about 10–40 ms here, which also paces guessing.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash computed for unknown emails too, so a sign-in takes as long whether or not the account exists. */
let decoy: Promise<string> | null = null;
export async function verifyNothing(password: string): Promise<void> {
  decoy ??= hashPassword("decoy password that matches nothing");
  await verifyPassword(await decoy, password);
}

/** A random credential (session, link or API token) and the SHA-256 that is all the database keeps of it. */
export function newCredential(prefix = ""): { token: string; hash: string } {
  const token = `${prefix}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashCredential(token) };
}

export function hashCredential(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
