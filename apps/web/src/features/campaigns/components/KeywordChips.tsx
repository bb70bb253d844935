import { TRIGGER_KEYWORD_LENGTH_MAX, TRIGGER_KEYWORDS_MAX } from "@switchboard/domain/trigger";
import { X } from "lucide-react";
import { useState } from "react";
import { FieldError } from "../../../components/FieldError";
import { IconButton } from "../../../components/IconButton";
import styles from "./campaigns.module.css";

export interface KeywordChipsProps {
  id: string;
  value: readonly string[];
  onChange: (keywords: string[]) => void;
  describedBy: string;
  invalid: boolean;
}

/**
 * Trigger keywords as chips: Enter or a comma adds one, Backspace on an empty field removes the last. The limits
 * (30 keywords of at most 29 characters) hold as you type, with the reason shown when one is reached.
 */
export function KeywordChips({ id, value, onChange, describedBy, invalid }: KeywordChipsProps) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const full = value.length >= TRIGGER_KEYWORDS_MAX;

  /** Adds every keyword at once: one change per keyword would each start from the same list and keep only the last. */
  const add = (...raw: string[]) => {
    const next = [...value];
    let refused: string | null = null;
    for (const part of raw) {
      const keyword = part.trim();
      if (!keyword) continue;
      if (next.some((k) => k.toLocaleLowerCase() === keyword.toLocaleLowerCase())) {
        refused = `${keyword} is already in the list.`;
      } else if (next.length >= TRIGGER_KEYWORDS_MAX) {
        refused = `${TRIGGER_KEYWORDS_MAX} keywords: the most a campaign can have.`;
      } else if (keyword.length > TRIGGER_KEYWORD_LENGTH_MAX) {
        refused = `Trigger keywords are at most ${TRIGGER_KEYWORD_LENGTH_MAX} characters: ${keyword} is longer.`;
      } else {
        next.push(keyword);
      }
    }
    if (next.length !== value.length) onChange(next);
    // A refused keyword stays in the field, beside its reason, to be corrected.
    if (!refused) setText("");
    setProblem(refused);
  };

  return (
    <div>
      <div className={styles.chips}>
        {value.map((k) => (
          <span key={k} className="chip">
            {k}
            <IconButton
              label={`Remove keyword ${k}`}
              icon={X}
              small
              onClick={() => onChange(value.filter((x) => x !== k))}
            />
          </span>
        ))}
        <input
          id={id}
          value={text}
          disabled={full}
          maxLength={TRIGGER_KEYWORD_LENGTH_MAX}
          placeholder={full ? "" : "Type a keyword, then Enter"}
          aria-invalid={invalid || !!problem}
          aria-describedby={`${describedBy} ${id}-problem`}
          onChange={(e) => {
            const next = e.target.value;
            if (next.includes(",")) {
              const parts = next.split(",");
              add(...parts.slice(0, -1));
              setText(parts.at(-1) ?? "");
            } else {
              setText(next);
              setProblem(
                next.length >= TRIGGER_KEYWORD_LENGTH_MAX
                  ? `Trigger keywords are at most ${TRIGGER_KEYWORD_LENGTH_MAX} characters.`
                  : null,
              );
            }
          }}
          onPaste={(e) => {
            // A pasted list ("alpha,beta,gamma") becomes its keywords, the last one included.
            const pasted = e.clipboardData.getData("text");
            if (!/[,\n]/.test(pasted)) return;
            e.preventDefault();
            add(...`${text}${pasted}`.split(/[,\n]/));
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add(text);
            } else if (e.key === "Backspace" && text === "" && value.length) {
              onChange(value.slice(0, -1));
            }
          }}
          onBlur={() => add(text)}
        />
      </div>
      <FieldError
        id={`${id}-problem`}
        message={problem ?? (full ? `${TRIGGER_KEYWORDS_MAX} keywords: the most a campaign can have.` : undefined)}
        polite
      />
    </div>
  );
}
