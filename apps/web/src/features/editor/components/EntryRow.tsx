import type { MenuEntry, MenuEntryPatch } from "@switchboard/contracts/flow";
import { KEYWORD_MAX, MENU_TEXT_MAX, validateKeyword } from "@switchboard/domain/menu-entry";
import { type RedirectType, redirectTargetKind, redirectTypeLabels } from "@switchboard/domain/redirect-type";
import { memo, useCallback, useState } from "react";
import { FieldError } from "../../../components/FieldError";
import { IconButton } from "../../../components/IconButton";
import { LabelOptions } from "../../../components/LabelOptions";
import { classNames } from "../../../lib/class-names";
import { useEditor } from "../hooks/editor-context";
import { useAutosave } from "../hooks/use-autosave";
import { entryElementId } from "../model/element-ids";
import { entryIcon } from "../model/entry-icons";
import { availability } from "../model/entry-rules";
import { redirectToChoices } from "../model/redirect-choices";
import { optionTitleProblem } from "../model/whatsapp-options";
import styles from "./editor.module.css";

const noProblem = () => null;
const keywordProblem = (v: string) => validateKeyword(v.trim())[0]?.message ?? null;

export interface EntryRowProps {
  nodeId: string;
  entry: MenuEntry;
  index: number;
  count: number;
  selected: boolean;
  /** Messages beside this row's fields: its own rule breaks and what the server refused. */
  errors: Readonly<Record<string, string>>;
  /** Saves a change; rejects when it is refused. `unloading`: the request must outlive the page. */
  onChange: (nodeId: string, entry: MenuEntry, patch: MenuEntryPatch, unloading?: boolean) => Promise<void>;
  onDelete: (nodeId: string, entry: MenuEntry) => void;
  /**
   * Whether Redirect To lists every choice. Rows far from the viewport list only their current one: 500 rows × 50
   * nodes would otherwise be 25,000 options built before the editor can answer.
   */
  allChoices?: boolean;
}

/** One menu entry, edited in place: text fields save when they lose focus, choices as soon as they change. */
export const EntryRow = memo(function EntryRow({
  nodeId,
  entry,
  index,
  count,
  selected,
  errors,
  onChange,
  onDelete,
  allChoices = true,
}: EntryRowProps) {
  const editor = useEditor();
  const keywordField = useAutosave({
    key: `entry-${entry.id}-keyword`,
    saved: entry.keyword,
    problem: keywordProblem,
    send: useCallback(
      (v: string, unloading: boolean) => onChange(nodeId, entry, { keyword: v.trim() }, unloading),
      [onChange, nodeId, entry],
    ),
  });
  const menuTextField = useAutosave({
    key: `entry-${entry.id}-menutext`,
    saved: entry.menuText ?? "",
    problem: noProblem,
    send: useCallback(
      (v: string, unloading: boolean) => onChange(nodeId, entry, { menuText: v.trim() === "" ? null : v }, unloading),
      [onChange, nodeId, entry],
    ),
  });
  const keyword = keywordField.value;
  const menuText = menuTextField.value;

  const rules = availability(entry);
  const id = entryElementId(entry.id);
  const failing = editor.failing.has(entry.id);
  const keywordError = keywordField.error ?? errors.keyword;
  const menuTextError =
    menuTextField.error ??
    errors.menuText ??
    (rules.menuText ? null : optionTitleProblem(editor.channel, menuText, keyword)) ??
    undefined;
  const [focused, setFocused] = useState(false);
  const every = redirectToChoices(entry.redirectType, editor.targets, nodeId);
  const choices = allChoices || focused ? every : every.filter((c) => c.value === entry.redirectTo);
  const targetMissing = !!entry.redirectTo && !every.some((c) => c.value === entry.redirectTo);

  const save = (patch: MenuEntryPatch) => {
    // Refusals are shown beside the row's fields (or in a toast) by the page.
    onChange(nodeId, entry, patch).catch(() => {});
  };
  const changeType = (value: string) => {
    const type = (value || null) as RedirectType | null;
    if (type === entry.redirectType) return;
    if (type === "webhook") {
      // The answer must go somewhere: without a saved webhook, the panel asks for its URL before anything changes.
      if (!entry.webhook) return editor.openEntry(nodeId, entry.id, "webhook", { redirectType: "webhook" });
      return save({
        redirectType: "webhook",
        menuText: null,
        redirectTo: null,
        attribute: null,
        webhookEnabled: false,
      });
    }
    const sameKind =
      type !== null &&
      entry.redirectType !== null &&
      redirectTargetKind[type] === redirectTargetKind[entry.redirectType];
    const redirectTo = sameKind ? entry.redirectTo : null;
    save({
      redirectType: type,
      redirectTo,
      attribute: type === "attribute" ? entry.attribute : null,
      webhookEnabled: redirectTo ? entry.webhookEnabled : false,
    });
  };
  const toggleWebhook = () => {
    if (entry.webhookEnabled) return save({ webhookEnabled: false });
    if (!entry.webhook) return editor.openEntry(nodeId, entry.id, "webhook", { webhookEnabled: true });
    save({ webhookEnabled: true });
  };

  return (
    <tr
      id={id}
      aria-label={`Entry ${entry.keyword}`}
      className={selected ? "selected" : undefined}
      aria-selected={selected}
    >
      <td>
        {entry.redirectType === "webhook" ? (
          // A Webhook entry asks a question and takes any answer: a keyword here would only mislead.
          <span className="muted">Any answer</span>
        ) : (
          <>
            <input
              className={classNames(styles.cellInput, styles.keyword)}
              aria-label="Keyword"
              data-field="keyword"
              value={keyword}
              maxLength={KEYWORD_MAX}
              aria-invalid={!!keywordError}
              aria-describedby={`${id}-keyword-error`}
              onChange={(e) => keywordField.onChange(e.target.value)}
              onBlur={keywordField.onBlur}
              onKeyDown={(e) => e.key === "Enter" && keywordField.onBlur()}
              onFocus={() => editor.select({ nodeId, entryId: entry.id })}
            />
            <FieldError id={`${id}-keyword-error`} message={keywordError} />
          </>
        )}
      </td>
      <td>
        <input
          className={styles.cellInput}
          aria-label="Menu Text"
          data-field="menuText"
          value={rules.menuText ? "" : menuText}
          placeholder={rules.menuText ? "Not available" : ""}
          maxLength={MENU_TEXT_MAX}
          disabled={!!rules.menuText}
          title={rules.menuText ?? undefined}
          aria-describedby={`${id}-menutext-error`}
          aria-invalid={!!menuTextError}
          onChange={(e) => menuTextField.onChange(e.target.value)}
          onBlur={menuTextField.onBlur}
          onKeyDown={(e) => e.key === "Enter" && menuTextField.onBlur()}
        />
        <FieldError id={`${id}-menutext-error`} message={menuTextError} />
      </td>
      <td>
        <select
          className={styles.cellInput}
          aria-label="Redirect Type"
          data-field="redirectType"
          value={entry.redirectType ?? ""}
          aria-invalid={!!errors.redirectType}
          aria-describedby={`${id}-redirect-error`}
          onChange={(e) => changeType(e.target.value)}
        >
          <option value="">Choose…</option>
          <LabelOptions labels={redirectTypeLabels} />
        </select>
      </td>
      <td>
        <select
          className={styles.cellInput}
          aria-label="Redirect To"
          data-field="redirectTo"
          onFocus={() => setFocused(true)}
          value={rules.redirectTo ? "" : (entry.redirectTo ?? "")}
          disabled={!!rules.redirectTo}
          title={rules.redirectTo ?? undefined}
          aria-invalid={!!errors.redirectTo || targetMissing}
          aria-describedby={`${id}-redirect-error`}
          onChange={(e) => {
            const value = e.target.value || null;
            save({ redirectTo: value, webhookEnabled: value ? entry.webhookEnabled : false });
          }}
        >
          <option value="">
            {rules.redirectTo ? "Not available" : choices.length ? "Choose…" : "Nothing to choose yet"}
          </option>
          {targetMissing && <option value={entry.redirectTo ?? ""}>(deleted)</option>}
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        <FieldError
          id={`${id}-redirect-error`}
          message={
            errors.redirectTo ??
            errors.redirectType ??
            errors.attribute ??
            (targetMissing ? "This target no longer exists: choose another." : undefined)
          }
        />
        {entry.redirectType === "attribute" && (
          <span className="hint">
            Saves the answer as {entry.attribute ? `{{${entry.attribute}}}` : "… (set it in Edit entry)"}
          </span>
        )}
      </td>
      <td>
        <button
          type="button"
          role="switch"
          className={styles.switch}
          aria-label="Webhook"
          aria-checked={entry.redirectType === "webhook" || entry.webhookEnabled}
          aria-describedby={rules.webhookToggle ? `${id}-toggle-why` : undefined}
          title={rules.webhookToggle ?? undefined}
          disabled={!!rules.webhookToggle}
          onClick={toggleWebhook}
        >
          <span className={styles.switchThumb} />
        </button>
        {rules.webhookToggle && (
          <span id={`${id}-toggle-why`} className="visually-hidden">
            {rules.webhookToggle}
          </span>
        )}
      </td>
      <td>
        <span className="row-actions">
          <IconButton
            label="Edit entry"
            icon={entryIcon.edit}
            title="Edit entry"
            onClick={() => editor.openEntry(nodeId, entry.id)}
          />
          <IconButton
            label="Delete entry"
            icon={entryIcon.remove}
            title="Delete entry"
            onClick={() => onDelete(nodeId, entry)}
          />
          <IconButton
            label="Move entry up"
            icon={entryIcon.up}
            title="Move entry up"
            disabled={index === 0}
            onClick={() => save({ position: index - 1 })}
          />
          <IconButton
            label="Move entry down"
            icon={entryIcon.down}
            title="Move entry down"
            disabled={index === count - 1}
            onClick={() => save({ position: index + 1 })}
          />
          {entry.hasWebhook && (
            <IconButton
              label="Has webhook"
              icon={entryIcon.webhook}
              aria-describedby={failing ? `${id}-failing` : undefined}
              title={failing ? "Has webhook — deliveries are failing" : "Has webhook"}
              onClick={() => editor.openEntry(nodeId, entry.id, "webhook")}
              className={classNames(styles.linkIcon, failing && styles.failing)}
            >
              {failing && (
                <span id={`${id}-failing`} className="visually-hidden">
                  Deliveries to this webhook are failing
                </span>
              )}
            </IconButton>
          )}
        </span>
      </td>
    </tr>
  );
});
