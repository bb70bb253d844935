import type { Channel } from "@switchboard/domain/campaign";
import { createContext, useContext } from "react";
import type { EntryForm } from "../model/entry-form";
import type { Targets } from "../model/redirect-choices";
import type { UnsavedStore } from "../model/unsaved-store";

export type EntryIntent = Partial<Pick<EntryForm, "redirectType" | "webhookEnabled">>;

export interface Selection {
  nodeId: string;
  entryId: string | null;
}

/**
 * What every row of the editor needs and what rarely changes. Selection and the entries themselves are props, so an
 * edit re-renders its own row only.
 */
export interface EditorContextValue {
  campaignId: number;
  channel: Channel;
  /** What Redirect To can point at; rebuilt only when a node is added, renamed or removed. */
  targets: Targets;
  /** Attribute names already used in this chatbot, offered as suggestions. */
  attributes: readonly string[];
  /** Entries whose webhook is failing (4+ consecutive failures): their link icon turns red. */
  failing: ReadonlySet<string>;
  /** Opens the entry panel; `intent` is a change that needs the webhook's URL first (the toggle on, Redirect Type Webhook). */
  openEntry: (nodeId: string, entryId: string, focus?: "webhook", intent?: EntryIntent) => void;
  /** Selects a node or entry, brings it into view and puts the cursor in it (in `field`, named as the API names it). */
  select: (selection: Selection, field?: string) => void;
  /** The fields whose typed value the server does not hold yet. */
  unsaved: UnsavedStore;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditor(): EditorContextValue {
  const value = useContext(EditorContext);
  if (!value) throw new Error("useEditor must be used inside the chatbot editor.");
  return value;
}
