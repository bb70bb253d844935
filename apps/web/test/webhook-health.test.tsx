import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import { WebhookHealth } from "../src/features/editor/components/WebhookHealth";

const healthy = {
  entryId: "11111111-1111-4111-8111-111111111111",
  total: 20,
  delivered: 20,
  failed: 0,
  pending: 0,
  successRate: 1,
  latencyMs: { p50: 12, p95: 30, p99: 41 },
  consecutiveFailures: 0,
  failing: false,
};

const show = (stats: typeof healthy) =>
  render(
    <MemoryRouter>
      <WebhookHealth stats={stats} campaignId={7} />
    </MemoryRouter>,
  );

describe("a webhook's health in its panel", () => {
  it("raises no alert while every delivery arrives", () => {
    show(healthy);
    expect(screen.getByText(/100 % delivered · p50 12 ms, p99 41 ms/)).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("alerts after four failed attempts in a row", () => {
    show({ ...healthy, delivered: 16, pending: 4, successRate: 1, consecutiveFailures: 4, failing: true });
    expect(screen.getByRole("alert").textContent).toContain("Failing: 4 attempts in a row have failed.");
  });

  it("alerts when deliveries ran out of attempts, linking to them in Deliveries", () => {
    show({ ...healthy, delivered: 18, failed: 2, successRate: 0.9 });
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("2 deliveries have failed for good: no attempts are left.");
    const link = screen.getByRole("link", { name: "Review and recover" });
    expect(link.getAttribute("href")).toBe(`/deliveries?campaignId=7&entryId=${healthy.entryId}&status=failed`);
  });
});
