import { describe, expect, it } from "vitest";
import { answer, answered, emptyMapping, type Need } from "../src/features/exchange/model/mapping";

const need = (kind: Need["kind"], key: string): Need => ({
  kind,
  key,
  label: key,
  paths: [],
  suggestion: null,
  mapped: false,
});

describe("an import's mapping", () => {
  it("answers each kind of need in its own place, a campaign by its number", () => {
    let m = emptyMapping();
    m = answer(m, need("campaign", "10002"), "10077");
    m = answer(m, need("integration", "i-1"), "0b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d");
    m = answer(m, need("secret_header", "s-1"), "1b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d");
    m = answer(m, need("secret_value", "X-Api-Key"), "2b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d");
    m = answer(m, need("team", "3b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d"), "4b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d");
    expect(m).toEqual({
      campaigns: { "10002": 10077 },
      integrations: { "i-1": "0b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d" },
      secretHeaders: { "s-1": "1b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d" },
      secretValues: { "X-Api-Key": { secretHeaderId: "2b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d" } },
      teams: { "3b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d": "4b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d" },
    });
    expect(answered(m, need("campaign", "10002"))).toBe("10077");
    expect(answered(m, need("secret_value", "X-Api-Key"))).toBe("2b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d");
  });

  it("leaves a thing out with an explicit null when no choice is made", () => {
    const m = answer(emptyMapping(), need("campaign", "10002"), "");
    expect(m.campaigns).toEqual({ "10002": null });
    expect(answered(m, need("campaign", "10002"))).toBe("");
    expect(answered(m, need("integration", "never-asked"))).toBe("");
  });
});
