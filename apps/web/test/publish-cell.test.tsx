import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createQueryClient } from "../src/app/query-client";
import { PublishCell } from "../src/features/campaigns/components/PublishCell";

function respond(status: number, body: unknown) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": status < 300 ? "application/json" : "application/problem+json" },
  });
}

const refusal = {
  type: "/api/problems#validation_failed",
  title: "The request is not valid",
  status: 400,
  detail: "2 fields are not valid.",
  errors: [
    {
      path: "nodes.0.entries.0.redirectType",
      code: "required",
      message: "Welcome Message › 1: choose a Redirect Type.",
    },
    {
      path: "nodes.1.message",
      code: "required",
      message: "Interaction 1 has no message: write what the bot says there.",
    },
  ],
};

describe("the Publish control", () => {
  let published: unknown[] = [];
  let refuse = false;
  let status = "draft";
  beforeEach(() => {
    published = [];
    refuse = false;
    status = "draft";
    vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
      if (url === "/api/v1/auth/me") return respond(200, { id: "u", email: "m@example.com", role: "marketer" });
      if (url.endsWith("/publication")) {
        return respond(200, {
          publishedVersion: status === "draft" ? null : 1,
          publishedAt: null,
          hasUnpublishedChanges: true,
          changesSincePublish: status === "draft" ? null : 2,
          campaignStatus: status,
          activated: false,
          warnings: [],
        });
      }
      if (url.endsWith("/publish")) {
        published.push(JSON.parse(String(init?.body)));
        if (refuse) return respond(400, refusal);
        return respond(200, {
          publishedVersion: 1,
          publishedAt: "",
          hasUnpublishedChanges: false,
          campaignStatus: "active",
          activated: true,
          warnings: [],
        });
      }
      return respond(200, { id: 10001, name: "Streaming", type: "chatbot", status: "draft", revision: 1 });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  const renderCell = () => {
    const onRefused = vi.fn();
    const onPublished = vi.fn();
    render(
      <QueryClientProvider client={createQueryClient()}>
        <PublishCell campaignId={10001} name="Streaming" onRefused={onRefused} onPublished={onPublished} />
      </QueryClientProvider>,
    );
    return { onRefused, onPublished };
  };

  it("asks, for a Draft campaign, whether to go live in the same step, and publishes with activate", async () => {
    const { onPublished } = renderCell();
    expect(await screen.findByText("Not published")).toBeTruthy();
    const publish = screen.getByRole("button", { name: "Publish Streaming" });
    await waitFor(() => expect(publish).toHaveProperty("disabled", false));
    await userEvent.click(publish);
    const ask = screen.getByRole("alertdialog", { name: "Publish Streaming" });
    expect(published).toEqual([]);
    await userEvent.click(within(ask).getByRole("button", { name: "Publish and activate" }));
    await waitFor(() => expect(onPublished).toHaveBeenCalled());
    expect(published).toEqual([{ activate: true, note: null }]);
  });

  it("publishes only, when told so, and sends nothing when cancelled", async () => {
    renderCell();
    const publish = await screen.findByRole("button", { name: "Publish Streaming" });
    await waitFor(() => expect(publish).toHaveProperty("disabled", false));
    await userEvent.click(publish);
    await userEvent.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel" }));
    expect(published).toEqual([]);
    await userEvent.click(publish);
    await userEvent.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Publish only" }));
    await waitFor(() => expect(published).toEqual([{ activate: false, note: null }]));
  });

  it("sends the optional version note, and holds back a note over 500 characters", async () => {
    status = "active";
    const { onPublished } = renderCell();
    expect(await screen.findByText("Live v1 · 2 changes since publish")).toBeTruthy();
    const publish = screen.getByRole("button", { name: "Publish Streaming" });
    await waitFor(() => expect(publish).toHaveProperty("disabled", false));
    await userEvent.click(publish);
    // A live campaign is not asked about activating: only the note.
    const dialog = screen.getByRole("dialog", { name: "Publish Streaming" });
    expect(within(dialog).queryByRole("button", { name: "Publish and activate" })).toBeNull();
    const note = within(dialog).getByRole("textbox", { name: "Version note (optional)" });
    await userEvent.click(note);
    await userEvent.paste("x".repeat(501));
    expect(note.getAttribute("aria-invalid")).toBe("true");
    expect(within(dialog).getByText("The note is at most 500 characters (this one has 501).")).toBeTruthy();
    await userEvent.click(within(dialog).getByRole("button", { name: "Publish" }));
    expect(published).toEqual([]);
    await userEvent.clear(note);
    await userEvent.type(note, "  Summer prices  ");
    await userEvent.click(within(dialog).getByRole("button", { name: "Publish" }));
    await waitFor(() => expect(onPublished).toHaveBeenCalled());
    expect(published).toEqual([{ activate: false, note: "Summer prices" }]);
  });

  it("hands every refused field to the editor", async () => {
    refuse = true;
    const { onRefused, onPublished } = renderCell();
    const publish = await screen.findByRole("button", { name: "Publish Streaming" });
    await waitFor(() => expect(publish).toHaveProperty("disabled", false));
    await userEvent.click(publish);
    await userEvent.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Publish only" }));
    await waitFor(() => expect(onRefused).toHaveBeenCalledWith(refusal.errors));
    expect(onPublished).not.toHaveBeenCalled();
  });
});
