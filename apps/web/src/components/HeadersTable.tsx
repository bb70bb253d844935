import { HEADERS_MAX, maskSecret, validateWebhookHeaders } from "@switchboard/domain/webhook";
import { Check, Eye, Pencil, Plus, Trash2, X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { EmptyRow } from "./EmptyRow";
import { FieldError } from "./FieldError";
import styles from "./HeadersTable.module.css";
import { IconButton } from "./IconButton";

/** A header as a form edits it: a stored secret keeps its value unless a new one is typed. */
export interface HeaderRow {
  id?: string | undefined;
  name: string;
  value: string;
  secret: boolean;
  /** A stored secret whose value the browser never saw: an empty value means "keep it". */
  storedSecret: boolean;
  /** How the server shows a stored secret (••••1234). */
  masked?: string | undefined;
  secretHeaderId?: string | null | undefined;
}

interface Draft {
  index: number;
  name: string;
  value: string;
  secret: boolean;
  /** A row added with Add header: Cancel removes it again. */
  fresh: boolean;
}

export interface HeadersTableProps {
  headers: readonly HeaderRow[];
  onChange: (headers: HeaderRow[]) => void;
  /** Messages from the panel's validation and the server, by `headers.<index>.<field>`. */
  errorFor: (index: number, field: "name" | "value") => string | undefined;
  /** Admins type secret values; everyone else picks from the admins' secret headers. */
  canWriteSecrets?: boolean;
  /** The webhook moves to another host: anyone may type a stored secret's value again to take it along. */
  canRetypeSecrets?: boolean;
  /** The admin-made secret headers (values masked). */
  library?: readonly { id: string; label: string; name: string; value: string }[];
  /** Admins only: reads a stored secret's value (the server records it in the audit log). */
  onReveal?: (headerId: string) => Promise<string>;
}

/** The webhook's Headers: a key/value table, each row edited in place with Save and Cancel. */
export function HeadersTable({
  headers,
  onChange,
  errorFor,
  canWriteSecrets = true,
  canRetypeSecrets = false,
  library = [],
  onReveal,
}: HeadersTableProps) {
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [draft, setDraft] = useState<Draft | null>(null);
  const [draftErrors, setDraftErrors] = useState<{ name?: string; value?: string }>({});
  const nameInput = useRef<HTMLInputElement | null>(null);
  // Edit header and Add header put the cursor in the row they open, as the user asked.
  const editing = draft?.index;
  useEffect(() => {
    if (editing !== undefined) nameInput.current?.focus();
  }, [editing]);

  const start = (index: number) => {
    const h = headers[index];
    if (!h) return;
    setDraft({ index, name: h.name, value: h.value, secret: h.secret, fresh: false });
    setDraftErrors({});
  };
  const add = () => {
    const index = headers.length;
    onChange([...headers, { name: "", value: "", secret: false, storedSecret: false }]);
    setDraft({ index, name: "", value: "", secret: false, fresh: true });
    setDraftErrors({});
  };
  const cancel = () => {
    if (draft?.fresh) onChange(headers.filter((_, i) => i !== draft.index));
    setDraft(null);
  };
  const save = () => {
    if (!draft) return;
    const current = headers[draft.index];
    if (!current) return;
    const next: HeaderRow = { ...current, name: draft.name.trim(), value: draft.value, secret: draft.secret };
    // A header made secret keeps no visible value; turning a stored secret public needs its value typed again.
    if (!next.secret) next.storedSecret = false;
    const list = headers.map((h, i) => (i === draft.index ? next : h));
    const issues = validateWebhookHeaders(list.map((h) => ({ name: h.name, value: h.value, secret: h.secret }))).filter(
      (i) => i.path[1] === draft.index,
    );
    const missingValue = !next.storedSecret && next.value === "" ? "Header value is required." : undefined;
    const nameError = issues.find((i) => i.path[2] === "name")?.message;
    const valueError = issues.find((i) => i.path[2] === "value")?.message ?? missingValue;
    if (nameError || valueError) return setDraftErrors({ name: nameError, value: valueError });
    onChange(list);
    setDraft(null);
  };
  const remove = (index: number) => {
    onChange(headers.filter((_, i) => i !== index));
    if (draft?.index === index) setDraft(null);
  };

  return (
    <fieldset className={styles.headers}>
      <legend>Headers</legend>
      <table className={`table ${styles.compact}`} aria-label="Headers">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
            <th scope="col">Secret</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {headers.map((h, index) =>
            draft?.index === index ? (
              <tr key={h.id ?? `new-${index}`} aria-label={`Header ${draft.name || "new"}`}>
                <td>
                  <input
                    aria-label="Header name"
                    value={draft.name}
                    ref={nameInput}
                    aria-invalid={!!draftErrors.name}
                    aria-describedby={`header-${index}-name-error`}
                    onChange={(e) => setDraft({ ...draft, name: e.target.value })}
                    onKeyDown={(e) => {
                      if (e.key === "Enter") {
                        e.preventDefault();
                        save();
                      } else if (e.key === "Escape") {
                        e.stopPropagation();
                        cancel();
                      }
                    }}
                  />
                  <FieldError id={`header-${index}-name-error`} message={draftErrors.name} />
                </td>
                <td>
                  <input
                    aria-label="Header value"
                    type={draft.secret ? "password" : "text"}
                    autoComplete="off"
                    value={draft.value}
                    placeholder={h.storedSecret ? "Unchanged — type to replace" : ""}
                    aria-invalid={!!draftErrors.value}
                    aria-describedby={`header-${index}-value-error`}
                    onChange={(e) => setDraft({ ...draft, value: e.target.value })}
                    onKeyDown={(e) => {
                      if (e.key === "Enter") {
                        e.preventDefault();
                        save();
                      }
                    }}
                  />
                  <FieldError id={`header-${index}-value-error`} message={draftErrors.value} />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label="Secret"
                    checked={draft.secret}
                    disabled={!canWriteSecrets}
                    title={
                      canWriteSecrets ? undefined : "Only admins enter secret values; add a secret header instead."
                    }
                    onChange={(e) => setDraft({ ...draft, secret: e.target.checked })}
                  />
                </td>
                <td>
                  <span className="row-actions">
                    <IconButton label="Save header" icon={Check} title="Save header" onClick={save} />
                    <IconButton label="Cancel" icon={X} title="Cancel" onClick={cancel} />
                  </span>
                </td>
              </tr>
            ) : (
              <tr key={h.id ?? `new-${index}`} aria-label={`Header ${h.name}`}>
                <td className="mono">
                  {h.name}
                  <FieldError id={`header-${index}-name-problem`} message={errorFor(index, "name")} />
                </td>
                <td className="mono">
                  {h.id && revealed[h.id] !== undefined
                    ? revealed[h.id]
                    : h.storedSecret && h.value === ""
                      ? (h.masked ?? "••••")
                      : h.secret
                        ? maskSecret(h.value)
                        : h.value}
                  <FieldError id={`header-${index}-value-problem`} message={errorFor(index, "value")} />
                </td>
                <td>
                  {h.secretHeaderId ? (
                    <span className="badge">
                      {library.find((l) => l.id === h.secretHeaderId)?.label ?? "Secret header"}
                    </span>
                  ) : h.secret ? (
                    <span className="badge">Secret</span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  <span className="row-actions">
                    {onReveal && h.id && h.storedSecret && revealed[h.id] === undefined && (
                      <IconButton
                        label="Reveal header"
                        icon={Eye}
                        title="Reveal (recorded in the audit log)"
                        onClick={async () => {
                          const id = h.id as string;
                          const value = await onReveal(id);
                          setRevealed((r) => ({ ...r, [id]: value }));
                        }}
                      />
                    )}
                    <IconButton
                      label="Edit header"
                      icon={Pencil}
                      title={h.secretHeaderId ? "An admin changes secret headers" : "Edit header"}
                      disabled={
                        draft !== null ||
                        !!h.secretHeaderId ||
                        (h.storedSecret && !canWriteSecrets && !canRetypeSecrets)
                      }
                      onClick={() => start(index)}
                    />
                    <IconButton
                      label="Delete header"
                      icon={Trash2}
                      title="Delete header"
                      disabled={draft !== null}
                      onClick={() => remove(index)}
                    />
                  </span>
                </td>
              </tr>
            ),
          )}
          {headers.length === 0 && (
            <EmptyRow columns={4}>No custom headers. Content-Type and the signature headers are always sent.</EmptyRow>
          )}
        </tbody>
      </table>
      <button
        type="button"
        className="button small"
        onClick={add}
        disabled={draft !== null || headers.length >= HEADERS_MAX}
      >
        <Plus size={14} aria-hidden /> Add header
      </button>
      {library.length > 0 && (
        <label>
          <span>Add secret header</span>
          <select
            aria-label="Add secret header"
            value=""
            disabled={draft !== null || headers.length >= HEADERS_MAX}
            onChange={(e) => {
              const chosen = library.find((l) => l.id === e.target.value);
              if (!chosen) return;
              onChange([
                ...headers,
                {
                  name: chosen.name,
                  value: "",
                  secret: true,
                  storedSecret: true,
                  masked: chosen.value,
                  secretHeaderId: chosen.id,
                },
              ]);
            }}
          >
            <option value="">Choose…</option>
            {library.map((l) => (
              <option key={l.id} value={l.id} disabled={headers.some((h) => h.secretHeaderId === l.id)}>
                {l.label} ({l.name})
              </option>
            ))}
          </select>
        </label>
      )}
    </fieldset>
  );
}
