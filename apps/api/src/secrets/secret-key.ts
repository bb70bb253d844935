import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "../generated/prisma/client";
import { SecretBox, SecretKeyError } from "./secret-box";

const CHECK_KEY = "secret_key_check";
const CHECK_TEXT = "switchboard secret key check";

export type SecretKeySource = { kind: "env"; value: string } | { kind: "file"; path: string };

/** SECRET_KEY: 32 bytes as 64 hex digits or base64. */
export function parseSecretKey(value: string): Buffer | null {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  const bytes = Buffer.from(text, "base64");
  return bytes.length === 32 ? bytes : null;
}

/**
 * The installation's secret key: SECRET_KEY, or a key file in the data folder, created (owner-only) on the first start.
 * A check value sealed with the key is stored in the database, so a lost or wrong key is reported at start, clearly,
 * instead of as failed deliveries later.
 */
export async function openSecretBox(prisma: PrismaClient, source: SecretKeySource): Promise<SecretBox> {
  const check = await prisma.installSetting.findUnique({ where: { key: CHECK_KEY } });
  let key: Buffer | null;
  if (source.kind === "env") {
    key = parseSecretKey(source.value);
    if (!key)
      throw new SecretKeyError("SECRET_KEY must be 32 bytes, as 64 hex digits or base64 (openssl rand -hex 32).");
  } else if (existsSync(source.path)) {
    key = parseSecretKey(readFileSync(source.path, "utf8"));
    if (!key) throw new SecretKeyError(`${source.path} does not hold a 32-byte key (64 hex digits).`);
  } else if (check) {
    throw new SecretKeyError(
      `The secret key file ${source.path} is missing, and this database holds secrets sealed with it. Restore the file from a backup (or set SECRET_KEY to the key); without it the secret header values cannot be used.`,
    );
  } else {
    key = randomBytes(32);
    mkdirSync(path.dirname(source.path), { recursive: true });
    writeFileSync(source.path, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(source.path, 0o600);
  }
  const box = new SecretBox(key);
  if (!check) {
    await prisma.installSetting.upsert({
      where: { key: CHECK_KEY },
      create: { key: CHECK_KEY, value: box.seal(CHECK_TEXT) },
      update: {},
    });
    return box;
  }
  try {
    if (box.open(check.value) === CHECK_TEXT) return box;
  } catch {
    // Reported below.
  }
  throw new SecretKeyError(
    `The secret key (${source.kind === "env" ? "SECRET_KEY" : source.path}) is not the one that sealed this database's secrets. Use the original key.`,
  );
}

/** Seals secret header values stored before sealing existed. */
export async function sealPlainSecrets(prisma: PrismaClient, box: SecretBox): Promise<number> {
  const rows = await prisma.webhookHeader.findMany({
    where: { secret: true, secretHeaderId: null },
    select: { id: true, value: true },
  });
  let sealed = 0;
  for (const row of rows) {
    if (SecretBox.isSealed(row.value) || row.value === "") continue;
    await prisma.webhookHeader.update({ where: { id: row.id }, data: { value: box.seal(row.value) } });
    sealed++;
  }
  return sealed;
}
