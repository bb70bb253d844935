import type { MenuEntry } from "@switchboard/contracts/flow";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { EntryRow } from "../src/features/editor/components/EntryRow";
import { EditorContext, type EditorContextValue } from "../src/features/editor/hooks/editor-context";
import { createUnsavedStore } from "../src/features/editor/model/unsaved-store";

const W = "11111111-1111-4111-8111-111111111111";
const A = "22222222-2222-4222-8222-222222222222";
const B = "33333333-3333-4333-8333-333333333333";

function entry(over: Partial<MenuEntry> = {}): MenuEntry {
  return {
    id: "44444444-4444-4444-8444-444444444444",
    nodeId: W,
    position: 0,
    keyword: "1",
    menuText: "One month",
    redirectType: null,
    redirectTo: null,
    attribute: null,
    webhookEnabled: false,
    hasWebhook: false,
    webhook: null,
    ...over,
  };
}

function renderRow(e: MenuEntry, over: Partial<EditorContextValue> = {}, allChoices = true) {
  const onChange = vi.fn(async () => {});
  const onDelete = vi.fn();
  const openEntry = vi.fn();
  const context: EditorContextValue = {
    campaignId: 10001,
    channel: "sms",
    targets: {
      nodes: [
        { value: W, label: "Welcome Message" },
        { value: A, label: "Interaction 1" },
        { value: B, label: "Interaction 2" },
      ],
      campaigns: [{ value: "10002", label: "Summer raffle (Raffle Giveaway)" }],
      integrations: [],
    },
    attributes: [],
    failing: new Set(),
    openEntry,
    select: vi.fn(),
    unsaved: createUnsavedStore(),
    ...over,
  };
  render(
    <EditorContext.Provider value={context}>
      <table>
        <tbody>
          <EntryRow
            nodeId={W}
            entry={e}
            index={0}
            count={1}
            selected={false}
            errors={{}}
            onChange={onChange}
            onDelete={onDelete}
            allChoices={allChoices}
          />
        </tbody>
      </table>
    </EditorContext.Provider>,
  );
  return { onChange, onDelete, openEntry, row: screen.getByRole("row") };
}

/** The text of the elements named by aria-describedby: what a screen reader reads after the name. */
const description = (el: HTMLElement) =>
  (el.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ")
    .trim();

const optionLabels = (select: HTMLElement) =>
  within(select)
    .getAllByRole("option")
    .map((o) => o.textContent);

describe("a row of the Interactions table", () => {
  it("keeps the Webhook toggle off and disabled until Redirect Type and Redirect To are both set, and says why", () => {
    const { row } = renderRow(entry());
    const toggle = within(row).getByRole("switch", { name: "Webhook" });
    expect(toggle).toHaveProperty("disabled", true);
    expect(toggle.getAttribute("aria-checked")).toBe("false");
    expect(toggle.getAttribute("title")).toMatch(/Set Redirect Type and Redirect To first/);
    expect(description(toggle)).toMatch(/^Set Redirect Type and Redirect To first/);
  });

  it("keeps the toggle disabled with a Redirect Type but no Redirect To", () => {
    const { row } = renderRow(entry({ redirectType: "interaction" }));
    expect(within(row).getByRole("switch", { name: "Webhook" })).toHaveProperty("disabled", true);
  });

  it("enables the toggle once both are set; switching it on without a webhook opens the panel at the URL", async () => {
    const { row, onChange, openEntry } = renderRow(entry({ redirectType: "interaction", redirectTo: A }));
    const toggle = within(row).getByRole("switch", { name: "Webhook" });
    expect(toggle).toHaveProperty("disabled", false);
    await userEvent.click(toggle);
    expect(openEntry).toHaveBeenCalledWith(W, expect.any(String), "webhook", expect.any(Object));
    expect(onChange).not.toHaveBeenCalled();
  });

  it("switches a configured webhook on in place", async () => {
    const webhook = { url: "https://example.com/h", body: {}, headers: [], disabledAt: null, disabledReason: null };
    const { row, onChange } = renderRow(entry({ redirectType: "interaction", redirectTo: A, webhook }));
    await userEvent.click(within(row).getByRole("switch", { name: "Webhook" }));
    expect(onChange).toHaveBeenCalledWith(W, expect.anything(), { webhookEnabled: true });
  });

  it("makes Menu Text and Redirect To unavailable with Redirect Type Webhook, and says why", () => {
    const webhook = { url: "https://example.com/h", body: {}, headers: [], disabledAt: null, disabledReason: null };
    const { row } = renderRow(entry({ redirectType: "webhook", menuText: null, webhook, hasWebhook: true }));
    const menuText = within(row).getByRole("textbox", { name: "Menu Text" });
    const redirectTo = within(row).getByRole("combobox", { name: "Redirect To" });
    expect(menuText).toHaveProperty("disabled", true);
    expect(redirectTo).toHaveProperty("disabled", true);
    expect(menuText.getAttribute("title")).toMatch(/Redirect Type Webhook/);
    expect(within(row).getByRole("switch", { name: "Webhook" }).getAttribute("aria-checked")).toBe("true");
    expect(within(row).getByRole("button", { name: "Has webhook" })).toBeTruthy();
  });

  it("offers this chatbot's other nodes for Interaction, other campaigns for Campaign, integrations for Integration", () => {
    renderRow(entry({ redirectType: "interaction" }));
    expect(optionLabels(screen.getByRole("combobox", { name: "Redirect To" }))).toEqual([
      "Choose…",
      "Interaction 1",
      "Interaction 2",
    ]);
  });

  it("offers campaigns for Redirect Type Campaign", () => {
    renderRow(entry({ redirectType: "campaign" }));
    expect(optionLabels(screen.getByRole("combobox", { name: "Redirect To" }))).toEqual([
      "Choose…",
      "Summer raffle (Raffle Giveaway)",
    ]);
  });

  it("says there is nothing to choose for Integration before any is saved", () => {
    renderRow(entry({ redirectType: "integration" }));
    expect(optionLabels(screen.getByRole("combobox", { name: "Redirect To" }))).toEqual(["Nothing to choose yet"]);
  });

  it("clears Redirect To and the toggle when the Redirect Type changes kind", async () => {
    const webhook = { url: "https://example.com/h", body: {}, headers: [], disabledAt: null, disabledReason: null };
    const { onChange } = renderRow(
      entry({ redirectType: "interaction", redirectTo: A, webhookEnabled: true, webhook }),
    );
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Redirect Type" }), "campaign");
    expect(onChange).toHaveBeenCalledWith(W, expect.anything(), {
      redirectType: "campaign",
      redirectTo: null,
      attribute: null,
      webhookEnabled: false,
    });
  });

  it("asks for the webhook's URL before turning an entry into Redirect Type Webhook", async () => {
    const { onChange, openEntry } = renderRow(entry({ redirectType: "interaction", redirectTo: A }));
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Redirect Type" }), "webhook");
    expect(openEntry).toHaveBeenCalledWith(W, expect.any(String), "webhook", expect.any(Object));
    expect(onChange).not.toHaveBeenCalled();
  });

  it("refuses a keyword that is not letters or digits beside the field, without saving it", async () => {
    const { onChange } = renderRow(entry());
    const keyword = screen.getByRole("textbox", { name: "Keyword" });
    await userEvent.clear(keyword);
    await userEvent.type(keyword, "1-2{Enter}");
    expect(screen.getByRole("alert").textContent).toBe("Keyword must be letters or digits only, such as 1 or A.");
    expect(onChange).not.toHaveBeenCalled();
  });

  it("shows the link icon red when the webhook is failing", () => {
    const webhook = { url: "https://example.com/h", body: {}, headers: [], disabledAt: null, disabledReason: null };
    const e = entry({ redirectType: "interaction", redirectTo: A, webhookEnabled: true, hasWebhook: true, webhook });
    renderRow(e, { failing: new Set([e.id]) });
    const icon = screen.getByRole("button", { name: "Has webhook" });
    expect(icon.className).toContain("failing");
    expect(description(icon)).toBe("Deliveries to this webhook are failing");
  });

  it("shows no Keyword for a Webhook entry: it takes any answer", () => {
    const webhook = { url: "https://example.com/h", body: {}, headers: [], disabledAt: null, disabledReason: null };
    const { row } = renderRow(entry({ redirectType: "webhook", menuText: null, webhook, hasWebhook: true }));
    expect(within(row).queryByRole("textbox", { name: "Keyword" })).toBeNull();
    expect(within(row).getByText("Any answer")).toBeTruthy();
  });

  it("flags a WhatsApp option title over 24 characters beside its Menu Text", () => {
    renderRow(entry({ menuText: "x".repeat(32) }), { channel: "whatsapp" });
    const menuText = screen.getByRole("textbox", { name: "Menu Text" });
    expect(menuText.getAttribute("aria-invalid")).toBe("true");
    expect(description(menuText)).toBe("WhatsApp option titles are at most 24 characters (this one has 32).");
  });

  it("lets the same title pass on SMS", () => {
    renderRow(entry({ menuText: "x".repeat(32) }));
    expect(screen.getByRole("textbox", { name: "Menu Text" }).getAttribute("aria-invalid")).toBe("false");
  });

  it("saves Menu Text as you type, after a pause, without waiting for the field to lose focus", async () => {
    const { onChange } = renderRow(entry());
    const menuText = screen.getByRole("textbox", { name: "Menu Text" });
    await userEvent.clear(menuText);
    await userEvent.type(menuText, "Two months");
    expect(menuText).toBe(document.activeElement);
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(W, expect.anything(), { menuText: "Two months" }, false),
    );
  });

  it("keeps the typed value when its save fails, and says why beside the field", async () => {
    const { onChange } = renderRow(entry());
    onChange.mockRejectedValue(new Error("offline"));
    const menuText = screen.getByRole("textbox", { name: "Menu Text" });
    await userEvent.clear(menuText);
    await userEvent.type(menuText, "Lost?");
    await userEvent.tab();
    expect(await screen.findByText("Not saved: The change could not be saved.")).toBeTruthy();
    expect(menuText).toHaveProperty("value", "Lost?");
    expect(description(menuText)).toBe("Not saved: The change could not be saved.");
  });

  it("does not send a keyword its rules refuse, and keeps it in the field with the reason", async () => {
    const { onChange } = renderRow(entry());
    const keyword = screen.getByRole("textbox", { name: "Keyword" });
    await userEvent.clear(keyword);
    await userEvent.tab();
    expect(onChange).not.toHaveBeenCalled();
    expect(keyword.getAttribute("aria-invalid")).toBe("true");
  });
});

describe("a row far from the viewport", () => {
  it("lists only its current Redirect To until it is focused, then every choice; its icons come from the sprite", async () => {
    const { row } = renderRow(entry({ redirectType: "interaction", redirectTo: A }), {}, false);
    const target = within(row).getByRole("combobox", { name: "Redirect To" });
    expect(
      within(target)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["Choose…", "Interaction 1"]);
    expect((target as HTMLSelectElement).value).toBe(A);
    await userEvent.click(target);
    expect(
      within(target)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["Choose…", "Interaction 1", "Interaction 2"]);
    // Each icon is a reference to the editor's sprite, not an icon of its own.
    expect(within(row).getByRole("button", { name: "Edit entry" }).querySelector("use")?.getAttribute("href")).toBe(
      "#entry-icon-edit",
    );
  });
});
