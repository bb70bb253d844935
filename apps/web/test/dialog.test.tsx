import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { ConfirmDialog } from "../src/components/ConfirmDialog";
import { Dialog } from "../src/components/Dialog";

/** A page with a button that opens a dialog, and one that asks before closing it while `dirty`. */
function Page({ dirty = false }: { dirty?: boolean }) {
  const [open, setOpen] = useState(false);
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Edit entry
      </button>
      <button type="button">Behind the dialog</button>
      {open && (
        <Dialog label="Edit Entry 1" onClose={() => (dirty ? setAsking(true) : setOpen(false))}>
          <input aria-label="Keyword" />
          <button type="button">Save entry</button>
          <button type="button" disabled>
            Send test
          </button>
          {asking && (
            <ConfirmDialog
              label="Unsaved changes"
              question="Discard your unsaved changes?"
              cancelLabel="Keep editing"
              confirmLabel="Discard"
              onCancel={() => setAsking(false)}
              onConfirm={() => setOpen(false)}
            />
          )}
        </Dialog>
      )}
    </>
  );
}

const dialog = (name: string) => screen.queryByRole("dialog", { name });

describe("the dialog", () => {
  it("is a native modal <dialog>, named", async () => {
    render(<Page />);
    await userEvent.click(screen.getByRole("button", { name: "Edit entry" }));
    const shown = dialog("Edit Entry 1");
    expect(shown?.tagName).toBe("DIALOG");
    expect(shown?.hasAttribute("open")).toBe(true);
  });

  it("keeps focus inside: Tab from its last control goes to its first, Shift+Tab from the first to the last", async () => {
    render(<Page />);
    await userEvent.click(screen.getByRole("button", { name: "Edit entry" }));
    await userEvent.click(screen.getByRole("textbox", { name: "Keyword" }));
    await userEvent.tab();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Save entry" }));
    // Send test is disabled: Save entry is the last control that takes focus.
    await userEvent.tab();
    expect(document.activeElement).toBe(screen.getByRole("textbox", { name: "Keyword" }));
    await userEvent.tab({ shift: true });
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Save entry" }));
  });

  it("closes on Escape and gives focus back to the button that opened it", async () => {
    render(<Page />);
    const opener = screen.getByRole("button", { name: "Edit entry" });
    await userEvent.click(opener);
    await userEvent.click(screen.getByRole("textbox", { name: "Keyword" }));
    await userEvent.keyboard("{Escape}");
    expect(dialog("Edit Entry 1")).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it("lets its owner answer Escape: a question over it closes alone, focus back where it was", async () => {
    render(<Page dirty />);
    await userEvent.click(screen.getByRole("button", { name: "Edit entry" }));
    const save = screen.getByRole("button", { name: "Save entry" });
    await userEvent.click(save);
    await userEvent.keyboard("{Escape}");
    const question = screen.getByRole("alertdialog", { name: "Unsaved changes" });
    expect(question.textContent).toContain("Discard your unsaved changes?");
    await userEvent.click(screen.getByRole("button", { name: "Keep editing" }));
    await userEvent.keyboard("{Escape}");
    expect(screen.getByRole("alertdialog", { name: "Unsaved changes" })).toBeTruthy();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(dialog("Edit Entry 1")).not.toBeNull();
    expect(document.activeElement).toBe(save);
  });

  it("closes with the question answered Discard, focus back on the page's opener", async () => {
    render(<Page dirty />);
    const opener = screen.getByRole("button", { name: "Edit entry" });
    await userEvent.click(opener);
    await userEvent.click(screen.getByRole("textbox", { name: "Keyword" }));
    await userEvent.keyboard("{Escape}");
    await userEvent.click(screen.getByRole("button", { name: "Discard" }));
    expect(dialog("Edit Entry 1")).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});
