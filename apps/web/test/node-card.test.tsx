import type { FlowNode, MenuEntry } from "@switchboard/contracts/flow";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { NodeCard } from "../src/features/editor/components/NodeCard";
import { EditorContext, type EditorContextValue } from "../src/features/editor/hooks/editor-context";
import { createUnsavedStore } from "../src/features/editor/model/unsaved-store";

const N = "55555555-5555-4555-8555-555555555555";

function entries(count: number): MenuEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `66666666-6666-4666-8666-${String(i).padStart(12, "0")}`,
    nodeId: N,
    position: i,
    keyword: String(i + 1),
    menuText: `Option ${i + 1}`,
    redirectType: null,
    redirectTo: null,
    attribute: null,
    webhookEnabled: false,
    hasWebhook: false,
    webhook: null,
  }));
}

function node(entryCount: number): FlowNode {
  return {
    id: N,
    kind: "interaction",
    label: "Interaction 2",
    message: "Pick one",
    confirmationText: null,
    position: 1,
    messageStats: { characters: 8, segments: null, encoding: null, limit: 1024 },
    entries: entries(entryCount),
  };
}

function renderCard(n: FlowNode, channel: EditorContextValue["channel"] = "whatsapp", collapsed = false) {
  const props = {
    onNodeChange: vi.fn(async () => {}),
    onNodeDelete: vi.fn(),
    onEntryChange: vi.fn(async () => {}),
    onEntryDelete: vi.fn(),
    onEntryAdd: vi.fn(),
    onToggleCollapsed: vi.fn(),
  };
  const unsaved = createUnsavedStore();
  const context: EditorContextValue = {
    campaignId: 10001,
    channel,
    targets: { nodes: [], campaigns: [], integrations: [] },
    attributes: [],
    failing: new Set(),
    openEntry: vi.fn(),
    select: vi.fn(),
    unsaved,
  };
  render(
    <EditorContext.Provider value={context}>
      <NodeCard
        node={n}
        index={1}
        count={3}
        referencedBy={[]}
        selectedEntryId={null}
        selected={false}
        entryErrors={{}}
        nodeErrors={undefined}
        collapsed={collapsed}
        {...props}
      />
    </EditorContext.Provider>,
  );
  return { ...props, unsaved };
}

describe("a node of the editor", () => {
  it("asks before deleting an Interaction with its message and entries, and keeps it when told to", async () => {
    const { onNodeDelete } = renderCard(node(10));
    await userEvent.click(screen.getByRole("button", { name: "Delete Interaction 2" }));
    const question = screen.getByRole("alertdialog", { name: "Delete Interaction 2?" });
    expect(within(question).getByText(/with its message and 10 entries/)).toBeTruthy();
    await userEvent.click(within(question).getByRole("button", { name: "Keep it" }));
    expect(onNodeDelete).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole("button", { name: "Delete Interaction 2" }));
    await userEvent.click(
      within(screen.getByRole("alertdialog")).getByRole("button", { name: "Delete Interaction 2" }),
    );
    expect(onNodeDelete).toHaveBeenCalledTimes(1);
  });

  it("refuses an 11th WhatsApp option with the reason beside Add entry, sending nothing", async () => {
    const { onEntryAdd } = renderCard(node(10));
    const add = screen.getByRole("button", { name: "Add entry to Interaction 2" });
    await userEvent.click(add);
    expect(onEntryAdd).not.toHaveBeenCalled();
    expect(screen.getByText("A WhatsApp menu lists at most 10 options: this one is full.").id).toBe(
      add.getAttribute("aria-describedby"),
    );
  });

  it("adds a 10th WhatsApp option", async () => {
    const { onEntryAdd } = renderCard(node(9));
    await userEvent.click(screen.getByRole("button", { name: "Add entry to Interaction 2" }));
    expect(onEntryAdd).toHaveBeenCalledTimes(1);
  });

  it("adds an 11th option on SMS", async () => {
    const { onEntryAdd } = renderCard(node(10), "sms");
    await userEvent.click(screen.getByRole("button", { name: "Add entry to Interaction 2" }));
    expect(onEntryAdd).toHaveBeenCalledTimes(1);
  });

  it("keeps a message over the channel's limit in the field, with its error, and does not send it", async () => {
    const { onNodeChange, unsaved } = renderCard(node(0));
    const message = screen.getByRole("textbox", { name: "Message" });
    await userEvent.click(message);
    await userEvent.paste("x".repeat(1100));
    await userEvent.tab();
    expect(onNodeChange).not.toHaveBeenCalled();
    expect((message as HTMLTextAreaElement).value).toHaveLength(1108);
    expect(message.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(/WhatsApp messages are limited to 1024 characters/)).toBeTruthy();
    // Leaving the page now would lose it: the page asks first.
    expect(unsaved.flushAll(true)).toBe(true);
  });

  it("sends what waits for its pause when the page unloads, with a request that outlives it", async () => {
    const { onNodeChange, unsaved } = renderCard(node(0), "sms");
    await userEvent.type(screen.getByRole("textbox", { name: "Message" }), "!");
    expect(unsaved.flushAll(true)).toBe(false);
    expect(onNodeChange).toHaveBeenCalledWith(N, { message: "Pick one!" }, true);
  });

  it("collapses to its header and a summary, and asks to be expanded", async () => {
    const { onToggleCollapsed } = renderCard(node(3), "sms", true);
    expect(screen.queryByRole("textbox", { name: "Message" })).toBeNull();
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.getByText(/3 entries · Pick one/)).toBeTruthy();
    const expand = screen.getByRole("button", { name: "Expand Interaction 2" });
    expect(expand.getAttribute("aria-expanded")).toBe("false");
    await userEvent.click(expand);
    expect(onToggleCollapsed).toHaveBeenCalledWith(N);
  });
});
