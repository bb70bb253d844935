import type { FlowNode, MenuEntry, MenuEntryPatch, NodePatch } from "@switchboard/contracts/flow";
import { validateChannelLimits } from "@switchboard/domain/channel-limits";
import { NODE_LABEL_MAX } from "@switchboard/domain/node";
import { ArrowDown, ArrowUp, ChevronDown, ChevronRight, Plus, Trash2 } from "lucide-react";
import { memo, useCallback, useState } from "react";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { EmptyRow } from "../../../components/EmptyRow";
import { FieldError } from "../../../components/FieldError";
import { IconButton } from "../../../components/IconButton";
import { classNames } from "../../../lib/class-names";
import { useEditor } from "../hooks/editor-context";
import { useAutosave } from "../hooks/use-autosave";
import { useNearViewport } from "../hooks/use-near-viewport";
import { nodeElementId } from "../model/element-ids";
import { optionsFullProblem } from "../model/whatsapp-options";
import { EntryRow } from "./EntryRow";
import styles from "./editor.module.css";
import { MessageCounter } from "./MessageCounter";

const NO_ERRORS: Readonly<Record<string, string>> = {};
const noProblem = () => null;
const labelProblem = (v: string) => (v.trim() === "" ? "Label is required." : null);

export interface EntryReference {
  nodeId: string;
  nodeLabel: string;
  entryId: string;
  keyword: string;
}

export interface NodeCardProps {
  node: FlowNode;
  index: number;
  count: number;
  /** Entries elsewhere that redirect here: while there are any, the node cannot be deleted. */
  referencedBy: readonly EntryReference[];
  selectedEntryId: string | null;
  selected: boolean;
  entryErrors: Readonly<Record<string, Readonly<Record<string, string>>>>;
  nodeErrors: Readonly<Record<string, string>> | undefined;
  /** Saves a change; rejects when it is refused. `unloading`: the request must outlive the page. */
  onNodeChange: (nodeId: string, patch: NodePatch, unloading?: boolean) => Promise<void>;
  onNodeDelete: (node: FlowNode) => void;
  onEntryChange: (nodeId: string, entry: MenuEntry, patch: MenuEntryPatch, unloading?: boolean) => Promise<void>;
  onEntryDelete: (nodeId: string, entry: MenuEntry) => void;
  onEntryAdd: (node: FlowNode) => void;
  /** Only the header shows: a large chatbot reads as a list of its nodes. */
  collapsed: boolean;
  onToggleCollapsed: (nodeId: string) => void;
}

/** One node of the chatbot: its label, its message with the channel's counter, and its Interactions table. */
export const NodeCard = memo(function NodeCard(props: NodeCardProps) {
  const { node, index, count, referencedBy } = props;
  const editor = useEditor();
  const id = nodeElementId(node.id);
  const nodeId = node.id;
  const { onNodeChange } = props;
  const label = useAutosave({
    key: `${id}-label`,
    saved: node.label,
    problem: labelProblem,
    send: useCallback(
      (v: string, unloading: boolean) => onNodeChange(nodeId, { label: v.trim() }, unloading),
      [onNodeChange, nodeId],
    ),
  });
  const channel = editor.channel;
  const message = useAutosave({
    key: `${id}-message`,
    saved: node.message,
    problem: useCallback((v: string) => validateChannelLimits(channel, v, 0)[0]?.message ?? null, [channel]),
    send: useCallback(
      (v: string, unloading: boolean) => onNodeChange(nodeId, { message: v }, unloading),
      [onNodeChange, nodeId],
    ),
  });
  const confirmation = useAutosave({
    key: `${id}-confirmation`,
    saved: node.confirmationText ?? "",
    problem: noProblem,
    send: useCallback(
      (v: string, unloading: boolean) => onNodeChange(nodeId, { confirmationText: v || null }, unloading),
      [onNodeChange, nodeId],
    ),
  });
  const [showReferences, setShowReferences] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  // Set when Add entry was refused; the message shows while the menu is still full.
  const [addRefused, setAddRefused] = useState(false);
  const near = useNearViewport(id, index < 3);
  const welcome = node.kind === "welcome";
  const asksQuestion = node.entries.some((e) => e.redirectType === "webhook" || e.redirectType === "attribute");
  const errors = props.nodeErrors ?? NO_ERRORS;
  const labelError = label.error ?? errors.label;

  const commit = (patch: NodePatch) => {
    // Refusals are shown beside the field (or in a toast) by the page.
    props.onNodeChange(node.id, patch).catch(() => {});
  };
  const onDelete = () => {
    if (referencedBy.length) return setShowReferences(true);
    setConfirmingDelete(true);
  };
  const entryCount = node.entries.length;
  const onAdd = () => {
    // The channel's limit is told beside the button, before anything is sent.
    const full = optionsFullProblem(editor.channel, entryCount) !== null;
    setAddRefused(full);
    if (!full) props.onEntryAdd(node);
  };

  return (
    <section
      id={id}
      className={classNames(styles.nodeCard, "card", props.selected && styles.selected)}
      aria-labelledby={`${id}-title`}
    >
      <header className={styles.nodeHeader}>
        <IconButton
          label={`${props.collapsed ? "Expand" : "Collapse"} ${node.label}`}
          icon={props.collapsed ? ChevronRight : ChevronDown}
          aria-expanded={!props.collapsed}
          onClick={() => props.onToggleCollapsed(node.id)}
        />
        <h2 id={`${id}-title`} className="h2">
          {welcome ? node.label : <span className="visually-hidden">{node.label}</span>}
        </h2>
        {!welcome && (
          <div className="field grow">
            <input
              aria-label={`Label of ${node.label}`}
              data-field="label"
              className={styles.nodeLabel}
              value={label.value}
              maxLength={NODE_LABEL_MAX}
              aria-invalid={!!labelError}
              aria-describedby={`${id}-label-error`}
              onChange={(e) => label.onChange(e.target.value)}
              onBlur={label.onBlur}
              onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
            />
            <FieldError id={`${id}-label-error`} message={labelError} />
          </div>
        )}
        {!welcome && (
          <span className="row-actions">
            <IconButton
              label={`Move ${node.label} up`}
              icon={ArrowUp}
              title="Move up"
              disabled={index <= 1}
              onClick={() => commit({ position: index - 1 })}
            />
            <IconButton
              label={`Move ${node.label} down`}
              icon={ArrowDown}
              title="Move down"
              disabled={index === count - 1}
              onClick={() => commit({ position: index + 1 })}
            />
            <IconButton
              label={`Delete ${node.label}`}
              icon={Trash2}
              title={referencedBy.length ? "Entries redirect here: change them first" : "Delete"}
              onClick={onDelete}
            />
          </span>
        )}
      </header>
      {showReferences && referencedBy.length > 0 && (
        <div role="alert" className={styles.notice}>
          <p>
            {node.label} cannot be deleted while{" "}
            {referencedBy.length === 1 ? "this entry redirects" : "these entries redirect"} to it. Change{" "}
            {referencedBy.length === 1 ? "it" : "them"} first:
          </p>
          <ul>
            {referencedBy.map((r) => (
              <li key={r.entryId}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => editor.select({ nodeId: r.nodeId, entryId: r.entryId })}
                >
                  {r.nodeLabel}, entry {r.keyword}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="button small" onClick={() => setShowReferences(false)}>
            Close
          </button>
        </div>
      )}
      {props.collapsed ? (
        <p className="muted">
          {entryCount === 1 ? "1 entry" : `${entryCount} entries`} · {message.value.slice(0, 80)}
        </p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-message`}>Message</label>
            <textarea
              id={`${id}-message`}
              data-field="message"
              rows={2}
              value={message.value}
              aria-describedby={`${id}-counter ${id}-message-error`}
              aria-invalid={!!(message.error ?? errors.message)}
              onChange={(e) => message.onChange(e.target.value)}
              onBlur={message.onBlur}
            />
            <span className={styles.fieldFoot}>
              <FieldError id={`${id}-message-error`} message={message.error ?? errors.message} />
              <MessageCounter id={`${id}-counter`} channel={editor.channel} text={message.value} />
            </span>
          </div>
          {asksQuestion && (
            <div className="field">
              <label htmlFor={`${id}-confirmation`}>Confirmation text</label>
              <input
                id={`${id}-confirmation`}
                data-field="confirmationText"
                value={confirmation.value}
                placeholder="Sent after the answer, e.g. Thanks, we got it!"
                aria-invalid={!!confirmation.error}
                aria-describedby={`${id}-confirmation-error`}
                onChange={(e) => confirmation.onChange(e.target.value)}
                onBlur={confirmation.onBlur}
              />
              <FieldError id={`${id}-confirmation-error`} message={confirmation.error ?? undefined} />
            </div>
          )}
          <table className={`table ${styles.entries}`} aria-label={`Interactions of ${node.label}`}>
            <thead>
              <tr>
                <th scope="col">Keyword</th>
                <th scope="col">Menu Text</th>
                <th scope="col">Redirect Type</th>
                <th scope="col">Redirect To</th>
                <th scope="col">Webhook</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {node.entries.map((entry, i) => (
                <EntryRow
                  key={entry.id}
                  nodeId={node.id}
                  entry={entry}
                  index={i}
                  count={node.entries.length}
                  selected={props.selectedEntryId === entry.id}
                  errors={props.entryErrors[entry.id] ?? NO_ERRORS}
                  onChange={props.onEntryChange}
                  onDelete={props.onEntryDelete}
                  allChoices={near}
                />
              ))}
              {node.entries.length === 0 && (
                <EmptyRow columns={6}>No entries: the conversation ends after this message.</EmptyRow>
              )}
            </tbody>
          </table>
          <button
            type="button"
            className={`button small ${styles.addEntry}`}
            onClick={onAdd}
            aria-describedby={`${id}-add-error`}
          >
            <Plus size={14} aria-hidden /> Add entry to {node.label}
          </button>
        </>
      )}
      <FieldError
        id={`${id}-add-error`}
        message={addRefused ? (optionsFullProblem(editor.channel, entryCount) ?? undefined) : undefined}
      />
      {confirmingDelete && (
        <ConfirmDialog
          label={`Delete ${node.label}?`}
          question={`Delete ${node.label} with its message and ${entryCount === 1 ? "1 entry" : `${entryCount} entries`}? This cannot be undone.`}
          cancelLabel="Keep it"
          confirmLabel={`Delete ${node.label}`}
          onCancel={() => setConfirmingDelete(false)}
          onConfirm={() => {
            setConfirmingDelete(false);
            props.onNodeDelete(node);
          }}
        />
      )}
    </section>
  );
});
