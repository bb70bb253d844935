/** Where a field's typed value stands: waiting for the pause to be sent, sent and not answered, refused or failed. */
export type FieldSaveState = "typing" | "saving" | "invalid" | "failed";

export interface UnsavedField {
  state: FieldSaveState;
  /** Sends the value at once; `unloading` when the page is going away (the request must outlive it). */
  flush: (unloading: boolean) => void;
}

/**
 * Every editor field whose value the server does not hold yet. The page reads it before unloading (send what waits,
 * warn about what cannot be sent) and the header's save status reads it, without re-rendering the editor.
 */
export function createUnsavedStore() {
  const fields = new Map<string, UnsavedField>();
  const listeners = new Set<() => void>();
  let summary: FieldSaveState | "saved" = "saved";
  const recompute = () => {
    const states = new Set([...fields.values()].map((f) => f.state));
    const next = states.has("failed")
      ? "failed"
      : states.has("invalid")
        ? "invalid"
        : states.has("saving") || states.has("typing")
          ? "saving"
          : "saved";
    if (next !== summary) {
      summary = next;
      for (const l of listeners) l();
    }
  };
  return {
    set(key: string, field: UnsavedField | null) {
      if (field) fields.set(key, field);
      else fields.delete(key);
      recompute();
    },
    /** Sends every value still waiting for its pause; says whether something typed could not be sent. */
    flushAll(unloading: boolean): boolean {
      for (const f of [...fields.values()]) if (f.state === "typing") f.flush(unloading);
      return [...fields.values()].some((f) => f.state === "invalid" || f.state === "failed");
    },
    summary: () => summary,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type UnsavedStore = ReturnType<typeof createUnsavedStore>;
