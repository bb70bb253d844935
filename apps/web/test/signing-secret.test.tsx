import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SigningSecret } from "../src/features/editor/components/SigningSecret";

const N = "11111111-1111-4111-8111-111111111111";
const E = "22222222-2222-4222-8222-222222222222";

afterEach(() => vi.restoreAllMocks());

describe("an entry's signing secret in its panel", () => {
  it("reveals the secret through the audited endpoint, says so, and shows how to verify with it", async () => {
    const fetch = vi
      .spyOn(globalThis, "fetch")
      .mockResolvedValue(new Response(JSON.stringify({ secret: "whsec_c2VjcmV0", previousValidUntil: null })));
    render(
      <MemoryRouter initialEntries={["/campaigns/7/editor"]}>
        <Routes>
          <Route path="/campaigns/:campaignId/editor" element={<SigningSecret nodeId={N} entryId={E} />} />
        </Routes>
      </MemoryRouter>,
    );
    expect(screen.getByText(/Verify a webhook with the standardwebhooks package/)).toBeTruthy();
    expect(screen.getByText(/new Webhook\(process\.env\.SWITCHBOARD_SIGNING_SECRET\)\.verify/)).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Reveal signing secret" }));
    expect(fetch).toHaveBeenCalledWith(
      `/api/v1/campaigns/7/nodes/${N}/entries/${E}/webhook/signing-secret/reveal`,
      expect.objectContaining({ method: "POST" }),
    );
    const shown = await screen.findByRole("status", { name: "Signing secret" });
    expect(shown.textContent).toContain("whsec_c2VjcmV0");
    expect(shown.textContent).toContain("recorded in the audit log");
  });
});
