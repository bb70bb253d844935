import { ArrowDown, ArrowUp, Link2, type LucideIcon, Pencil, Trash2 } from "lucide-react";

/** The icons every entry row repeats: drawn once by the editor (EntryIcons), referenced by each row. */
export const entryIcon = {
  edit: { sprite: "entry-icon-edit" },
  remove: { sprite: "entry-icon-delete" },
  up: { sprite: "entry-icon-up" },
  down: { sprite: "entry-icon-down" },
  webhook: { sprite: "entry-icon-webhook" },
} as const;

export const entryIconDrawings: Readonly<Record<string, LucideIcon>> = {
  [entryIcon.edit.sprite]: Pencil,
  [entryIcon.remove.sprite]: Trash2,
  [entryIcon.up.sprite]: ArrowUp,
  [entryIcon.down.sprite]: ArrowDown,
  [entryIcon.webhook.sprite]: Link2,
};
