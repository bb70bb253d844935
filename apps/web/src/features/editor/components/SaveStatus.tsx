import { useSyncExternalStore } from "react";
import type { UnsavedStore } from "../model/unsaved-store";

const words: Record<ReturnType<UnsavedStore["summary"]>, string> = {
  typing: "Saving…",
  saved: "All changes saved",
  saving: "Saving…",
  invalid: "A value breaks a rule: not saved until fixed",
  failed: "Some changes were not saved",
};

/** Whether what was typed is on the server, read from the editor's unsaved fields without re-rendering the editor. */
export function SaveStatus({ store }: { store: UnsavedStore }) {
  const summary = useSyncExternalStore(store.subscribe, store.summary);
  return (
    <span role="status" className={summary === "saved" || summary === "saving" ? "muted" : "error"}>
      {words[summary]}
    </span>
  );
}
