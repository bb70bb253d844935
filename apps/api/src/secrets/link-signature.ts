import { createHmac, timingSafeEqual } from "node:crypto";
import type { SecretBox } from "./secret-box";

/**
 * Signs and checks personal web poll links with a key derived from the installation's secret key (never the key
 * itself), so a link cannot be made or altered without it, and rotating the secret key voids every link.
 */
export function linkSigner(box: SecretBox) {
  const key = createHmac("sha256", box.keyForThread()).update("switchboard web poll links v1").digest();
  const sign = (input: string) => createHmac("sha256", key).update(input).digest("base64url");
  return {
    sign,
    verify(input: string, signature: string): boolean {
      const expected = Buffer.from(sign(input));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}
export type LinkSigner = ReturnType<typeof linkSigner>;
