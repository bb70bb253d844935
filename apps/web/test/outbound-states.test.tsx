import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createQueryClient } from "../src/app/query-client";
import { ConversationsPage } from "../src/features/conversations/components/ConversationsPage";
import { DeliveriesPage } from "../src/features/deliveries/components/DeliveriesPage";

const sessionId = "5c1b8f0e-9a7d-4e2b-8c3f-1a2b3c4d5e6f";
const message = (state: string, text: string, reason: string | null = null) => ({
  id: crypto.randomUUID(),
  sessionId,
  senderId: "0b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d",
  provider: "whatsapp_cloud",
  phoneNumber: "+525511112222",
  text,
  state,
  reason,
  providerMessageId: null,
  attempts: 1,
  createdAt: "2026-11-26T10:00:00.000Z",
  updatedAt: null,
});

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

describe("outbound messages in the product", () => {
  let asked: string[] = [];
  beforeEach(() => {
    asked = [];
    vi.stubGlobal("fetch", async (url: string) => {
      asked.push(url);
      if (url.includes("/sessions?"))
        return json({
          items: [
            {
              id: sessionId,
              phoneNumber: "+525511112222",
              status: "active",
              flowVersion: 1,
              lastActivityAt: "2026-11-26T10:00:00.000Z",
            },
          ],
          total: 1,
        });
      if (url.endsWith("/outbound-messages"))
        return json({
          items: [
            message("read", "Welcome!"),
            message("queued", "Second"),
            message(
              "refused",
              "Late",
              "Outside WhatsApp's 24-hour window: the user last wrote at 2026-11-24T10:00:00.000Z; templates are not supported yet.",
            ),
          ],
          total: 3,
        });
      if (url.startsWith(`/api/v1/sessions/${sessionId}`)) return json({ messages: [] });
      return json({ items: [], total: 0 });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("shows each outbound message's state as a badge with its text, and a failure's reason", async () => {
    render(
      <QueryClientProvider client={createQueryClient()}>
        <MemoryRouter initialEntries={["/campaigns/10001/conversations"]}>
          <Routes>
            <Route path="/campaigns/:campaignId/conversations" element={<ConversationsPage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    await userEvent.click(await screen.findByRole("button", { name: "+525511112222" }));
    const list = await screen.findByRole("list", { name: "Outbound messages" });
    const items = within(list).getAllByRole("listitem");
    expect(items.map((i) => i.textContent)).toEqual([
      "Read Welcome!",
      "Queued Second",
      "Refused LateOutside WhatsApp's 24-hour window: the user last wrote at 2026-11-24T10:00:00.000Z; templates are not supported yet.",
    ]);
    expect(within(items[2] as HTMLElement).getByText("Refused").className).toContain("badge-failed");
  });

  it("filters deliveries to messages or to webhooks", async () => {
    render(
      <QueryClientProvider client={createQueryClient()}>
        <MemoryRouter>
          <DeliveriesPage />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    await vi.waitFor(() => expect(asked.some((u) => u.startsWith("/api/v1/deliveries?"))).toBe(true));
    expect(asked.at(-1)).not.toContain("kind=");
    await userEvent.selectOptions(screen.getByLabelText("Kind"), "Messages to end users");
    await vi.waitFor(() => expect(asked.at(-1)).toContain("kind=message"));
    await userEvent.selectOptions(screen.getByLabelText("Kind"), "Webhooks");
    await vi.waitFor(() => expect(asked.at(-1)).toContain("kind=webhook"));
  });
});
