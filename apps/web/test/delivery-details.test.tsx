import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { DeliveryDetails } from "../src/features/deliveries/components/DeliveryDetails";

const attempt = (round: number, number: number, status: number, startedAt: string) => ({
  round,
  number,
  status,
  startedAt,
  durationMs: 12,
  requestHeaders: { "webhook-id": "d" },
  responseExcerpt: "",
  errorClass: status >= 400 ? "http_status" : null,
  errorMessage: null,
});

const delivery = {
  id: "11111111-1111-4111-8111-111111111111",
  campaignId: 7,
  kind: "webhook" as const,
  entryId: "e",
  mode: "option" as const,
  url: "https://crm.example.com/hooks/switchboard?source=sms",
  option: "One month",
  phoneNumber: "••••5678",
  status: "delivered" as const,
  test: false,
  attempts: 1,
  maxAttempts: 10,
  nextAttemptAt: null,
  progress: "delivered: attempt 1 of 10",
  deliveredAt: "2026-01-01T00:05:00.000Z",
  lastStatus: 200,
  lastError: null,
  createdAt: "2026-01-01T00:00:00.000Z",
  requestId: "inbound-trace.42",
  payload: '{"option":"One month","phoneNumber":"••••5678"}',
  attemptLog: [
    attempt(1, 1, 500, "2026-01-01T00:00:01.000Z"),
    attempt(1, 2, 503, "2026-01-01T00:00:06.000Z"),
    attempt(2, 1, 200, "2026-01-01T00:05:00.000Z"),
  ],
};

describe("a delivery's details", () => {
  it("shows the whole URL, the option, the phone number as the API gave it, and each Resend's attempts apart", () => {
    render(<DeliveryDetails delivery={delivery} />);
    expect(screen.getByText("https://crm.example.com/hooks/switchboard?source=sms")).toBeTruthy();
    expect(screen.getByText("One month")).toBeTruthy();
    expect(screen.getByText("••••5678")).toBeTruthy();
    // The X-Request-Id that queued it, beside its label, to find the request's log lines.
    expect(screen.getByText("Request id").nextElementSibling?.textContent).toBe("inbound-trace.42");
    const first = within(screen.getByRole("list", { name: "Attempts of First delivery" }));
    expect(first.getAllByRole("listitem").map((li) => li.querySelector("strong")?.textContent)).toEqual([
      "Attempt 1: 500",
      "Attempt 2: 503",
    ]);
    const resend = within(screen.getByRole("list", { name: "Attempts of Resend 1" }));
    expect(resend.getAllByRole("listitem").map((li) => li.querySelector("strong")?.textContent)).toEqual([
      "Attempt 1: 200",
    ]);
  });
});
