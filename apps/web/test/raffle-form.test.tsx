import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createQueryClient } from "../src/app/query-client";
import { RaffleForm } from "../src/features/handoffs/components/RaffleForm";

const settings = {
  type: "raffle_giveaway" as const,
  campaignId: 7,
  updatedAt: "2026-11-26T00:00:00.000Z",
  prizes: [{ id: "0b9f6c1e-2d3a-4c5b-8e7f-112233445566", name: "T-shirt", quantity: 10, awarded: 3, left: 7 }],
  draw: { mode: "instant" as const, winProbability: 0.25 },
  messages: { win: "You won {{prize}}!", lose: "Not this time.", alreadyEntered: "Already in.", over: "It is over." },
  webhook: null,
};

function respond(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": status < 300 ? "application/json" : "application/problem+json" },
  });
}

describe("the Raffle Giveaway form", () => {
  let sent: unknown[] = [];
  let answer: () => Response;
  beforeEach(() => {
    sent = [];
    answer = () => respond(200, settings);
    vi.stubGlobal("fetch", async (_url: string, init?: RequestInit) => {
      sent.push(JSON.parse(String(init?.body)));
      return answer();
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  const renderForm = () =>
    render(
      <QueryClientProvider client={createQueryClient()}>
        <RaffleForm campaignId={7} settings={settings} />
      </QueryClientProvider>,
    );

  it("shows the contract's message beside a prize's quantity and sends nothing", async () => {
    renderForm();
    const quantity = screen.getByLabelText("Prize 1 quantity");
    await userEvent.clear(quantity);
    await userEvent.type(quantity, "0");
    await userEvent.click(screen.getByRole("button", { name: "Save raffle" }));
    expect((await screen.findByText("The quantity is at least 1.")).id).toBe("prize-0-quantity-error");
    expect(quantity.getAttribute("aria-invalid")).toBe("true");
    expect(sent).toHaveLength(0);
  });

  it("saves every Nth participant with only N in the draw", async () => {
    renderForm();
    await userEvent.click(screen.getByLabelText("Every Nth participant wins"));
    const every = screen.getByLabelText("Every Nth participant: N");
    await userEvent.clear(every);
    await userEvent.type(every, "5");
    await userEvent.click(screen.getByRole("button", { name: "Add prize" }));
    await userEvent.type(screen.getByLabelText("Prize 2 name"), "Mug");
    await userEvent.click(screen.getByRole("button", { name: "Save raffle" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      type: "raffle_giveaway",
      prizes: [
        { id: settings.prizes[0]?.id, name: "T-shirt", quantity: 10 },
        { name: "Mug", quantity: 1 },
      ],
      draw: { mode: "every_nth", every: 5 },
      messages: settings.messages,
      webhook: null,
    });
  });

  it("sends a renamed prize with its id, so its awarded count stays with it", async () => {
    renderForm();
    expect(screen.getByText("3 awarded, 7 left")).toBeTruthy();
    const name = screen.getByLabelText("Prize 1 name");
    await userEvent.clear(name);
    await userEvent.type(name, "Blue T-shirt");
    expect(screen.getByText("3 awarded, 7 left")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Save raffle" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect((sent[0] as { prizes: unknown[] }).prizes).toEqual([
      { id: settings.prizes[0]?.id, name: "Blue T-shirt", quantity: 10 },
    ]);
  });

  it("previews the win message as the end user reads it, as it is typed", async () => {
    renderForm();
    const preview = screen.getByRole("region", { name: "Preview" });
    expect(within(preview).getByText("You won T-shirt!")).toBeTruthy();
    const win = screen.getByLabelText("Win message");
    await userEvent.clear(win);
    await userEvent.type(win, "Yay, a {{{{prize}}");
    expect(await within(preview).findByText("Yay, a T-shirt")).toBeTruthy();
    expect(sent).toHaveLength(0);
  });

  it("places the server's field error beside the prize it names", async () => {
    answer = () =>
      respond(400, {
        type: "/api/problems#validation",
        title: "Bad Request",
        status: 400,
        detail: "x",
        errors: [{ path: "body.prizes.0.quantity", code: "below_awarded", message: "3 were already awarded." }],
      });
    renderForm();
    await userEvent.click(screen.getByRole("button", { name: "Save raffle" }));
    expect((await screen.findByText("3 were already awarded.")).id).toBe("prize-0-quantity-error");
    expect(screen.getByLabelText("Prize 1 quantity").getAttribute("aria-invalid")).toBe("true");
  });
});
