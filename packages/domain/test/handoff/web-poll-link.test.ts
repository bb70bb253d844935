import { describe, expect, it } from "vitest";
import { linkExpiry, linkSigningInput, linkState, parseLinkToken } from "../../src/handoff/web-poll-link";

const id = "3f1c2a9e-1b2c-4d5e-8f90-123456789abc";

describe("web poll links", () => {
  it("signs the link id, the survey, the phone number and the expiry together", () => {
    const facts = { id, campaignId: 13010, phoneNumber: "+525500000000", expiresAt: new Date(1_000) };
    const input = linkSigningInput(facts);
    expect(linkSigningInput({ ...facts, phoneNumber: "+525500000001" })).not.toBe(input);
    expect(linkSigningInput({ ...facts, campaignId: 13011 })).not.toBe(input);
    expect(linkSigningInput({ ...facts, expiresAt: new Date(2_000) })).not.toBe(input);
  });

  it("reads a token's id and signature, and nothing else", () => {
    expect(parseLinkToken(`${id}.abcdefghijklmnopqrstuvwxyz_-0123`)).toEqual({
      id,
      signature: "abcdefghijklmnopqrstuvwxyz_-0123",
    });
    expect(parseLinkToken(id)).toBeNull();
    expect(parseLinkToken(`${id}.short`)).toBeNull();
    expect(parseLinkToken(`../${id}.abcdefghijklmnopqrstuvwxyz`)).toBeNull();
  });

  it("takes one submission before its expiry while the survey runs", () => {
    const now = new Date(10_000);
    expect(linkState({ expiresAt: new Date(20_000), usedAt: null }, true, now)).toBe("open");
    expect(linkState({ expiresAt: new Date(20_000), usedAt: new Date(5_000) }, true, now)).toBe("used");
    expect(linkState({ expiresAt: new Date(10_000), usedAt: null }, true, now)).toBe("expired");
    expect(linkState({ expiresAt: new Date(20_000), usedAt: null }, false, now)).toBe("closed");
  });

  it("expires after its validity, or when the survey ends if that is sooner", () => {
    const sent = new Date("2026-01-01T00:00:00Z");
    expect(linkExpiry(sent, 72, null).toISOString()).toBe("2026-01-04T00:00:00.000Z");
    expect(linkExpiry(sent, 72, new Date("2026-01-02T00:00:00Z")).toISOString()).toBe("2026-01-02T00:00:00.000Z");
  });
});
