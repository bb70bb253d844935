import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createQueryClient } from "../src/app/query-client";
import { CampaignForm } from "../src/features/campaigns/components/CampaignForm";

const sender = {
  id: "0b7e1c2a-5d6f-4a3b-9c8d-7e6f5a4b3c2d",
  name: "Main",
  channel: "sms",
  address: "+525500000000",
  createdAt: "",
  updatedAt: "",
};

function respond(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": status < 300 ? "application/json" : "application/problem+json" },
  });
}

describe("the campaign form", () => {
  let posted: unknown[] = [];
  let accept = false;
  beforeEach(() => {
    posted = [];
    accept = false;
    vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
      if (url.startsWith("/api/v1/senders")) return respond(200, { items: [sender], total: 1 });
      posted.push(JSON.parse(String(init?.body)));
      if (accept) return respond(201, { id: 10077, name: "Winter", type: "chatbot", revision: 1 });
      return respond(409, {
        type: "/api/problems#conflict",
        title: "Conflict",
        status: 409,
        detail: "x",
        errors: [
          {
            path: "body.triggerKeywords.0",
            code: "keyword_taken",
            message:
              'Trigger keyword "PROMO" is already used by the active campaign "Summer Sale" (10001) on this SMS sender.',
          },
        ],
      });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  const renderForm = () => {
    const router = createMemoryRouter(
      [
        { path: "/campaigns", element: <CampaignForm onDone={() => {}} /> },
        { path: "/campaigns/:campaignId", element: <p>The editor</p> },
      ],
      { initialEntries: ["/campaigns"] },
    );
    render(
      <QueryClientProvider client={createQueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>,
    );
    return router;
  };

  it("keeps every keyword of a pasted list", async () => {
    renderForm();
    await userEvent.click(screen.getByLabelText("Trigger keywords"));
    await userEvent.paste("alpha,beta,gamma");
    for (const k of ["alpha", "beta", "gamma"]) {
      expect(screen.getByRole("button", { name: `Remove keyword ${k}` })).toBeTruthy();
    }
    expect(screen.getByLabelText("Trigger keywords")).toHaveProperty("value", "");
  });

  it("opens the new chatbot's editor once it is created", async () => {
    accept = true;
    const router = renderForm();
    await userEvent.type(screen.getByLabelText("Name"), "Winter");
    await waitFor(() => expect(screen.getByRole("option", { name: "Main (+525500000000)" })).toBeTruthy());
    await userEvent.selectOptions(screen.getByLabelText("Sender"), sender.id);
    await userEvent.click(screen.getByRole("button", { name: "Create campaign" }));
    expect(await screen.findByText("The editor")).toBeTruthy();
    expect(router.state.location.pathname).toBe("/campaigns/10077");
  });

  it("shows the rules' messages beside the fields before sending anything", async () => {
    renderForm();
    await userEvent.type(screen.getByLabelText("Trigger keywords"), "x".repeat(30));
    // The 30th character is not taken, and the field says why as it happens.
    expect(screen.getByLabelText("Trigger keywords")).toHaveProperty("value", "x".repeat(29));
    expect(screen.getByText("Trigger keywords are at most 29 characters.").id).toBe("campaign-keywords-problem");
    await userEvent.click(screen.getByRole("button", { name: "Create campaign" }));
    expect((await screen.findByText("Name is required.")).id).toBe("campaign-name-error");
    expect(posted).toEqual([]);
  });

  it("turns keywords into chips, refuses a repeated one and stops at 30", async () => {
    renderForm();
    const input = screen.getByLabelText("Trigger keywords");
    await userEvent.type(input, "JOIN{Enter}promo,");
    expect(screen.getByRole("button", { name: "Remove keyword JOIN" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Remove keyword promo" })).toBeTruthy();
    await userEvent.type(input, "join{Enter}");
    expect(screen.getByText("join is already in the list.")).toBeTruthy();
    await userEvent.clear(input);
    for (let i = 3; i <= 30; i++) await userEvent.type(input, `K${i}{Enter}`);
    expect(input).toHaveProperty("disabled", true);
    expect(screen.getByText("30 keywords: the most a campaign can have.")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Remove keyword JOIN" }));
    expect(input).toHaveProperty("disabled", false);
    // Thirty keywords typed key by key: slow on a busy machine, not a measure of anything.
  }, 30_000);

  it("places the server's message naming the campaign that holds a keyword beside the keywords", async () => {
    renderForm();
    await userEvent.type(screen.getByLabelText("Name"), "Winter");
    await waitFor(() => expect(screen.getByRole("option", { name: "Main (+525500000000)" })).toBeTruthy());
    await userEvent.selectOptions(screen.getByLabelText("Sender"), sender.id);
    await userEvent.type(screen.getByLabelText("Trigger keywords"), "PROMO{Enter}");
    await userEvent.click(screen.getByRole("button", { name: "Create campaign" }));
    expect((await screen.findByText(/already used by the active campaign "Summer Sale" \(10001\)/)).id).toBe(
      "campaign-keywords-error",
    );
    expect(posted).toEqual([
      expect.objectContaining({ name: "Winter", senderId: sender.id, triggerKeywords: ["PROMO"] }),
    ]);
  });
});
