import { describe, expect, it } from "vitest";
import { shownAttemptHeaders } from "../../src/secrets/attempt-headers";

describe("the headers an attempt shows", () => {
  const sent = {
    Authorization: "Bearer sk_live_0123456789",
    "x-api-key": "crm_live_0123456789wxyz",
    "X-Team": "growth-team",
    "webhook-id": "d-1",
  };

  it("mask every header sent as a secret, whatever the case of its name, and nothing else", () => {
    expect(
      shownAttemptHeaders(sent, [
        { name: "authorization", secret: true },
        { name: "X-Api-Key", secret: true },
        { name: "X-Team", secret: false },
      ]),
    ).toEqual({ Authorization: "••••6789", "x-api-key": "••••wxyz", "X-Team": "growth-team", "webhook-id": "d-1" });
  });

  it("show a short secret as the mask alone, and leave the headers sent as they were", () => {
    const short = { "X-Pin": "12345" };
    expect(shownAttemptHeaders(short, [{ name: "X-Pin", secret: true }])).toEqual({ "X-Pin": "••••" });
    expect(short).toEqual({ "X-Pin": "12345" });
  });

  it("show everything when nothing sent was secret", () => {
    expect(shownAttemptHeaders(sent, [{ name: "X-Team", secret: false }])).toEqual(sent);
  });
});
