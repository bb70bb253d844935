import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createQueryClient } from "../src/app/query-client";
import { InboxPage } from "../src/features/live-chat/components/InboxPage";

const ME = { id: "00000000-0000-4000-8000-0000000000a1", name: "Ben Agent", email: "ben@example.com", role: "agent" };

function respond(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function item(n: number, over: Record<string, unknown> = {}) {
  return {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    state: "assigned",
    phoneNumber: `+52551234567${n}`,
    contactName: null,
    campaign: { id: 7, name: "Support desk" },
    provider: "sms",
    team: null,
    agent: { userId: ME.id, name: ME.name },
    lastMessage: `Message ${n}`,
    waitingSince: "2026-11-27T01:00:00.000Z",
    waitSeconds: 125,
    unread: 0,
    updatedAt: "2026-11-27T01:00:30.000Z",
    closedAt: null,
    ...over,
  };
}

describe("the inbox page", () => {
  let lists: Record<string, ReturnType<typeof item>[]>;
  beforeEach(() => {
    lists = { waiting: [], mine: [], closed: [] };
    vi.stubGlobal("fetch", async (url: string) => {
      if (url === "/api/v1/auth/me") return respond(200, { ...ME, csrfToken: "t" });
      const view = /view=(\w+)/.exec(url)?.[1];
      if (view) {
        const items = lists[view] ?? [];
        return respond(200, { items, total: items.length });
      }
      return respond(404, { type: "about:blank", title: "Not found", status: 404 });
    });
  });

  const show = (path = "/inbox") =>
    render(
      <QueryClientProvider client={createQueryClient()}>
        <MemoryRouter initialEntries={[path]}>
          <InboxPage />
        </MemoryRouter>
      </QueryClientProvider>,
    );

  it("puts the unread count of the agent's conversations in the page title, and gives the title back on leaving", async () => {
    document.title = "Switchboard";
    lists.mine = [item(1, { unread: 2 }), item(2, { unread: 1 }), item(3)];
    const { unmount } = show("/inbox?view=mine");
    await waitFor(() => expect(document.title).toBe("(3) Inbox — Switchboard"));
    unmount();
    expect(document.title).toBe("Switchboard");
  });

  it("lists who waits with the phone number, campaign, last message, waiting time and unread count", async () => {
    lists.waiting = [item(4, { state: "waiting", agent: null, unread: 3 })];
    show();
    const table = await screen.findByRole("table", { name: "Waiting conversations" });
    const row = await within(table).findByRole("row", { name: /\+525512345674/ });
    expect(
      within(row)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["Support desk", "Message 4", "2 min", "3 unread"]);
    expect(screen.getByRole("tab", { name: "Waiting (1)" }).getAttribute("aria-selected")).toBe("true");
    await userEvent.click(screen.getByRole("tab", { name: "Closed" }));
    expect(await screen.findByText("No conversation was closed yet.")).toBeTruthy();
  });
});
