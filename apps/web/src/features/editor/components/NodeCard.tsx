import type { FlowNode, MenuEntry, MenuEntryPatch, NodePatch } from "@switchboard/contracts/flow";
import { NODE_LABEL_MAX } from "@switchboard/domain/node";
import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { memo, useEffect, useState } from "react";
import { EmptyRow } from "../../../components/EmptyRow";
import { FieldError } from "../../../components/FieldError";
import { IconButton } from "../../../components/IconButton";
import { classNames } from "../../../lib/class-names";
import { useEditor } from "../hooks/editor-context";
import { useNearViewport } from "../hooks/use-near-viewport";
import { EntryRow } from "./EntryRow";
import styles from "./editor.module.css";
import { MessageCounter } from "./MessageCounter";

const NO_ERRORS: Readonly<Record<string, string>> = {};

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
  onNodeChange: (nodeId: string, patch: NodePatch) => void;
  onNodeDelete: (node: FlowNode) => void;
  onEntryChange: (nodeId: string, entry: MenuEntry, patch: MenuEntryPatch) => void;
  onEntryDelete: (nodeId: string, entry: MenuEntry) => void;
  onEntryAdd: (node: FlowNode) => void;
}

/** One node of the chatbot: its label, its message with the channel's counter, and its Interactions table. */
export const NodeCard = memo(function NodeCard(props: NodeCardProps) {
  const { node, index, count, referencedBy } = props;
  const editor = useEditor();
  const [label, setLabel] = useState(node.label);
  const [message, setMessage] = useState(node.message);
  const [confirmation, setConfirmation] = useState(node.confirmationText ?? "");
  const [showReferences, setShowReferences] = useState(false);
  useEffect(() => setLabel(node.label), [node.label]);
  useEffect(() => setMessage(node.message), [node.message]);
  useEffect(() => setConfirmation(node.confirmationText ?? ""), [node.confirmationText]);

  const id = `node-${node.id}`;
  const near = useNearViewport(id, index < 3);
  const welcome = node.kind === "welcome";
  const asksQuestion = node.entries.some((e) => e.redirectType === "webhook" || e.redirectType === "attribute");
  const errors = props.nodeErrors ?? NO_ERRORS;
  const labelError = errors.label ?? (label.trim() === "" ? "Label is required." : undefined);

  const commit = (patch: NodePatch) => props.onNodeChange(node.id, patch);
  const onDelete = () => {
    if (referencedBy.length) return setShowReferences(true);
    props.onNodeDelete(node);
  };

  return (
    <section
      id={id}
      className={classNames(styles.nodeCard, "card", props.selected && styles.selected)}
      aria-labelledby={`${id}-title`}
    >
      <header className={styles.nodeHeader}>
        <h2 id={`${id}-title`} className="h2">
          {welcome ? node.label : <span className="visually-hidden">{node.label}</span>}
        </h2>
        {!welcome && (
          <div className="field grow">
            <input
              aria-label={`Label of ${node.label}`}
              className={styles.nodeLabel}
              value={label}
              maxLength={NODE_LABEL_MAX}
              aria-invalid={!!labelError}
              aria-describedby={`${id}-label-error`}
              onChange={(e) => setLabel(e.target.value)}
              onBlur={() => label.trim() && label.trim() !== node.label && commit({ label: label.trim() })}
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
      <div className="field">
        <label htmlFor={`${id}-message`}>Message</label>
        <textarea
          id={`${id}-message`}
          rows={2}
          value={message}
          aria-describedby={`${id}-counter ${id}-message-error`}
          aria-invalid={!!errors.message}
          onChange={(e) => setMessage(e.target.value)}
          onBlur={() => message !== node.message && commit({ message })}
        />
        <span className={styles.fieldFoot}>
          <FieldError id={`${id}-message-error`} message={errors.message} />
          <MessageCounter id={`${id}-counter`} channel={editor.channel} text={message} />
        </span>
      </div>
      {asksQuestion && (
        <div className="field">
          <label htmlFor={`${id}-confirmation`}>Confirmation text</label>
          <input
            id={`${id}-confirmation`}
            value={confirmation}
            placeholder="Sent after the answer, e.g. Thanks, we got it!"
            onChange={(e) => setConfirmation(e.target.value)}
            onBlur={() =>
              confirmation !== (node.confirmationText ?? "") && commit({ confirmationText: confirmation || null })
            }
          />
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
      <button type="button" className={`button small ${styles.addEntry}`} onClick={() => props.onEntryAdd(node)}>
        <Plus size={14} aria-hidden /> Add entry to {node.label}
      </button>
    </section>
  );
});
