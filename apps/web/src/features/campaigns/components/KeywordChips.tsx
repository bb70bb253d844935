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

  const add = (raw: string) => {
    const keyword = raw.trim();
    if (!keyword) return;
    if (value.some((k) => k.toLocaleLowerCase() === keyword.toLocaleLowerCase())) {
      setProblem(`${keyword} is already in the list.`);
      return;
    }
    onChange([...value, keyword]);
    setText("");
    setProblem(null);
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
              for (const part of next.split(",").slice(0, -1)) add(part);
              setText(next.split(",").at(-1) ?? "");
            } else {
              setText(next);
              setProblem(
                next.length >= TRIGGER_KEYWORD_LENGTH_MAX
                  ? `Trigger keywords are at most ${TRIGGER_KEYWORD_LENGTH_MAX} characters.`
                  : null,
              );
            }
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
