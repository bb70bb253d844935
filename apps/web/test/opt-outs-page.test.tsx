import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createQueryClient } from "../src/app/query-client";
import { OptOutsPage } from "../src/features/senders/components/OptOutsPage";

const senderId = "0b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d";
const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

describe("the opt-outs page", () => {
  let asked: string[] = [];
  beforeEach(() => {
    asked = [];
    vi.stubGlobal("fetch", async (url: string) => {
      asked.push(url);
      if (url === "/api/v1/senders")
        return json({ items: [{ id: senderId, name: "WhatsApp main", channel: "whatsapp" }], total: 1 });
      const filtered = url.includes(`senderId=${senderId}`);
      return json({
        items: [
          {
            senderId,
            senderName: "WhatsApp main",
            phoneNumber: filtered ? "+525533334444" : "+525511112222",
            keyword: "STOP",
            optedOutAt: "2026-11-26T10:00:00.000Z",
          },
        ],
        total: 1,
      });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("lists opted-out numbers per sender and links the CSV export", async () => {
    render(
      <QueryClientProvider client={createQueryClient()}>
        <MemoryRouter>
          <OptOutsPage />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    const table = screen.getByRole("table", { name: "Opt-outs" });
    expect(await within(table).findByText("+525511112222")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Export CSV" }).getAttribute("href")).toBe("/api/v1/opt-outs.csv");
    await userEvent.selectOptions(await screen.findByLabelText("Sender"), "WhatsApp main");
    expect(await within(table).findByText("+525533334444")).toBeTruthy();
    expect(asked).toContain(`/api/v1/opt-outs?senderId=${senderId}`);
  });
});
