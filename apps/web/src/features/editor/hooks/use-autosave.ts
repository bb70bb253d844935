import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../../../lib/api-client";
import { useEditor } from "./editor-context";

/** How long typing may pause before the value is sent. */
export const AUTOSAVE_DELAY_MS = 700;

export interface AutosaveOptions {
  /** Unique in the editor, e.g. `node-<id>-message`. */
  key: string;
  /** The value the server holds. */
  saved: string;
  /** Why the value cannot be sent as it is (over a limit), or null. Such a value stays in the field, unsent. */
  problem: (value: string) => string | null;
  /** Sends the value; rejects when the server refuses it. `unloading`: the request must outlive the page. */
  send: (value: string, unloading: boolean) => Promise<void>;
}

export interface Autosave {
  value: string;
  onChange: (value: string) => void;
  onBlur: () => void;
  /** The rule the value breaks, or why its save failed: shown beside the field. */
  error: string | null;
}

/**
 * A text field that saves as you type (after a pause) and when it loses focus. What was typed is never replaced:
 * not by the server's answer to an older save, not when a save fails (the field keeps the value and says why).
 */
export function useAutosave({ key, saved, problem, send }: AutosaveOptions): Autosave {
  const { unsaved } = useEditor();
  const [value, setValue] = useState(saved);
  const [failure, setFailure] = useState<string | null>(null);
  const sent = useRef(saved);
  const current = useRef(saved);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** Typed and waiting for the pause: not yet sent at all. */
  const waiting = useRef(false);

  // The server's value shows only while nothing typed is waiting: another tab's change, a restored version.
  useEffect(() => {
    if (current.current === sent.current && !failure) {
      sent.current = saved;
      current.current = saved;
      setValue(saved);
    }
  }, [saved, failure]);

  const flush = useCallback(
    (unloading: boolean) => {
      clearTimeout(timer.current);
      waiting.current = false;
      const next = current.current;
      if (next === sent.current) return unsaved.set(key, null);
      if (problem(next)) return unsaved.set(key, { state: "invalid", flush });
      sent.current = next;
      unsaved.set(key, { state: "saving", flush });
      send(next, unloading).then(
        () => {
          setFailure(null);
          if (current.current === next) unsaved.set(key, null);
        },
        (error: unknown) => {
          const reason =
            error instanceof ApiError
              ? (error.problem.errors?.[0]?.message ?? error.message)
              : "The change could not be saved.";
          setFailure(`Not saved: ${reason}`);
          // Sent again on the next change, blur or retry: the server does not hold it.
          sent.current = `\u0000${next}`;
          unsaved.set(key, { state: "failed", flush });
        },
      );
    },
    [key, problem, send, unsaved],
  );

  const onChange = useCallback(
    (next: string) => {
      current.current = next;
      setValue(next);
      clearTimeout(timer.current);
      if (next === sent.current) return unsaved.set(key, null);
      unsaved.set(key, { state: problem(next) ? "invalid" : "typing", flush });
      waiting.current = true;
      timer.current = setTimeout(() => flush(false), AUTOSAVE_DELAY_MS);
    },
    [flush, key, problem, unsaved],
  );

  // A field that goes away (the editor closed for another page) sends what is still waiting for its pause; not a value
  // already refused, which the marketer chose to drop by loading the newer version.
  const latestFlush = useRef(flush);
  latestFlush.current = flush;
  useEffect(
    () => () => {
      if (waiting.current && !problem(current.current)) latestFlush.current(false);
      clearTimeout(timer.current);
      unsaved.set(key, null);
    },
    [key, unsaved],
  );

  const onBlur = useCallback(() => flush(false), [flush]);
  return { value, onChange, onBlur, error: problem(value) ?? failure };
}
