import type { Campaign } from "@switchboard/contracts/campaigns";
import type { FlowNode, MenuEntry, MenuEntryPatch, NodePatch } from "@switchboard/contracts/flow";
import { channelLabels } from "@switchboard/domain/campaign";
import { useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, ChartColumn, MessagesSquare, Plus, Settings } from "lucide-react";
import {
  lazy,
  type ReactNode,
  Suspense,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { Link, useParams } from "react-router";
import { useCampaign, useCampaigns } from "../../../api/campaigns";
import { useIntegrationChoices } from "../../../api/integration-choices";
import { publicationQuery } from "../../../api/publication";
import { useCan } from "../../../api/session";
import { ApiError } from "../../../lib/api-client";
import { type FieldMessages, messagesByField } from "../../../lib/server-errors";
import { showToast } from "../../../lib/toasts";
import {
  hideEntry,
  useAddEntry,
  useAddNode,
  useDeleteEntry,
  useDeleteNode,
  useFlow,
  useUpdateEntry,
  useUpdateNode,
} from "../api/flow";
import { useSettings, useWebhookStats } from "../api/webhooks";
import { EditorContext, type EditorContextValue, type EntryIntent, type Selection } from "../hooks/editor-context";
import { campaignTargets, nodeTargets, type Targets } from "../model/redirect-choices";
import { EntryPanel } from "./EntryPanel";
import styles from "./editor.module.css";
import { LivePreview } from "./LivePreview";
import { type EntryReference, NodeCard } from "./NodeCard";

// The diagram library is the heaviest part of the page: the table is usable before it arrives.
const FlowDiagram = lazy(() => import("./FlowDiagram"));

const EMPTY: Readonly<Record<string, FieldMessages>> = {};
const NO_REFERENCES: readonly EntryReference[] = [];
const UNDO_MS = 6000;

interface PanelState {
  nodeId: string;
  entryId: string;
  focus?: "webhook";
  intent?: EntryIntent;
}

export interface EditorPageProps {
  /** Draft against published, and the Publish button: the campaigns feature's, put here by the app. */
  publishControl: (campaignId: number, name: string) => ReactNode;
  /** The campaign's settings form, shown under the header while open; `onDone` closes it. */
  settingsForm: (campaign: Campaign, onDone: () => void) => ReactNode;
}

/** The chatbot editor: every Interaction with its entries, the live preview, the flow diagram and the entry panel. */
export function EditorPage({ publishControl, settingsForm }: EditorPageProps) {
  const campaignId = Number(useParams().campaignId);
  const client = useQueryClient();
  const campaign = useCampaign(campaignId);
  const flow = useFlow(campaignId);
  const campaigns = useCampaigns({ limit: 200 });
  const settings = useSettings();
  const stats = useWebhookStats(campaignId);

  const updateEntry = useUpdateEntry(campaignId);
  const addEntry = useAddEntry(campaignId);
  const deleteEntry = useDeleteEntry(campaignId);
  const updateNode = useUpdateNode(campaignId);
  const addNode = useAddNode(campaignId);
  const deleteNode = useDeleteNode(campaignId);

  const [selection, setSelection] = useState<Selection | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  // The diagram starts once the table answers: the marketer can edit while the arrows are drawn.
  const [diagramReady, setDiagramReady] = useState(false);
  const loaded = !!flow.data;
  useEffect(() => {
    if (!loaded) return;
    const idle = window.requestIdleCallback?.(() => setDiagramReady(true), { timeout: 600 });
    const fallback = idle === undefined ? window.setTimeout(() => setDiagramReady(true), 200) : undefined;
    return () => {
      if (idle !== undefined) window.cancelIdleCallback(idle);
      if (fallback !== undefined) window.clearTimeout(fallback);
    };
  }, [loaded]);
  const [panel, setPanel] = useState<PanelState | null>(null);
  const [entryErrors, setEntryErrors] = useState<Record<string, Record<string, FieldMessages>>>({});
  const [nodeErrors, setNodeErrors] = useState<Record<string, FieldMessages>>({});
  const pendingDeletes = useRef(new Map<string, () => void>());

  const nodes = flow.data?.nodes;
  // The diagram redraws after the table: an edit shows in its row at once, the arrows follow a moment later.
  const diagramFlow = useDeferredValue(flow.data);
  // Redirect To's choices change only when nodes are added, renamed or removed: not on every edit of an entry.
  const nodesKey = nodes?.map((n) => `${n.id}\u0000${n.label}`).join("\u0001") ?? "";
  const nodeChoices = useMemo(() => nodeTargets(nodes ?? []), [nodesKey]);
  const campaignChoices = useMemo(
    () => campaignTargets(campaigns.data?.items ?? [], campaignId),
    [campaigns.data, campaignId],
  );
  const integrations = useIntegrationChoices();
  const canEdit = useCan("marketer");
  const integrationChoices = useMemo(
    () => (integrations.data?.items ?? []).map((i) => ({ value: i.id, label: i.alias })),
    [integrations.data],
  );
  const targets: Targets = useMemo(
    () => ({ nodes: nodeChoices, campaigns: campaignChoices, integrations: integrationChoices }),
    [nodeChoices, campaignChoices, integrationChoices],
  );
  const attributesKey =
    nodes
      ?.flatMap((n) => n.entries.map((e) => e.attribute))
      .filter(Boolean)
      .join(",") ?? "";
  const attributes = useMemo(() => [...new Set(attributesKey.split(",").filter(Boolean))].sort(), [attributesKey]);
  const failing = useMemo(
    () => new Set(stats.data?.items.filter((s) => s.failing).map((s) => s.entryId) ?? []),
    [stats.data],
  );

  // Draft vs published follows the flow: any accepted change may make the draft differ.
  useEffect(() => {
    if (flow.dataUpdatedAt) void client.invalidateQueries({ queryKey: publicationQuery(campaignId).queryKey });
  }, [flow.dataUpdatedAt, client, campaignId]);

  const select = useCallback((next: Selection) => {
    setSelection(next);
    // After the render that highlights it: bring the row (or node) into view and put the cursor in it.
    requestAnimationFrame(() => {
      const el = document.getElementById(next.entryId ? `entry-${next.entryId}` : `node-${next.nodeId}`);
      el?.scrollIntoView?.({ block: "center", behavior: "smooth" });
      el?.querySelector<HTMLElement>("input, select, textarea")?.focus({ preventScroll: true });
    });
  }, []);

  const openEntry = useCallback((nodeId: string, entryId: string, focus?: "webhook", intent?: EntryIntent) => {
    setSelection({ nodeId, entryId });
    setPanel({ nodeId, entryId, focus, intent });
  }, []);

  const setErrorsFor = useCallback((nodeId: string, entryId: string, messages: FieldMessages | null) => {
    setEntryErrors((all) => {
      const forNode = all[nodeId] ?? {};
      if (!messages && !forNode[entryId]) return all;
      const next = { ...forNode };
      if (messages) next[entryId] = messages;
      else delete next[entryId];
      return { ...all, [nodeId]: next };
    });
  }, []);

  const { mutate: mutateEntry } = updateEntry;
  const onEntryChange = useCallback(
    (nodeId: string, entry: MenuEntry, patch: MenuEntryPatch) => {
      mutateEntry(
        { nodeId, entryId: entry.id, patch },
        {
          onSuccess: () => setErrorsFor(nodeId, entry.id, null),
          onError: (error) => setErrorsFor(nodeId, entry.id, messagesByField(error)),
        },
      );
    },
    [mutateEntry, setErrorsFor],
  );

  const { mutate: sendDelete } = deleteEntry;
  const onEntryDelete = useCallback(
    (nodeId: string, entry: MenuEntry) => {
      const restore = hideEntry(client, campaignId, nodeId, entry.id);
      if (!restore) return;
      const commit = () => {
        pendingDeletes.current.delete(entry.id);
        sendDelete({ nodeId, entryId: entry.id });
      };
      const timer = setTimeout(commit, UNDO_MS);
      pendingDeletes.current.set(entry.id, () => {
        clearTimeout(timer);
        commit();
      });
      showToast({
        kind: "success",
        message: `Entry ${entry.keyword} deleted.`,
        durationMs: UNDO_MS,
        action: {
          label: "Undo",
          onClick: () => {
            clearTimeout(timer);
            pendingDeletes.current.delete(entry.id);
            restore();
          },
        },
      });
    },
    [client, campaignId, sendDelete],
  );

  // Deletions still in their undo window are sent when the editor closes, so nothing the user did is lost.
  useEffect(() => {
    const flush = () => {
      for (const send of [...pendingDeletes.current.values()]) send();
    };
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, []);

  const { mutate: mutateNode } = updateNode;
  const onNodeChange = useCallback(
    (nodeId: string, patch: NodePatch) =>
      mutateNode(
        { nodeId, patch },
        {
          onSuccess: () => setNodeErrors((all) => (all[nodeId] ? { ...all, [nodeId]: {} } : all)),
          onError: (error) => setNodeErrors((all) => ({ ...all, [nodeId]: messagesByField(error) ?? {} })),
        },
      ),
    [mutateNode],
  );

  const { mutateAsync: removeNode } = deleteNode;
  const onNodeDelete = useCallback(
    async (node: FlowNode) => {
      try {
        await removeNode(node.id);
        showToast({ kind: "success", message: `${node.label} deleted.` });
      } catch {
        // The error toast (with the entries that still point here) is shown by the query client.
      }
    },
    [removeNode],
  );

  const { mutateAsync: createEntry } = addEntry;
  const onEntryAdd = useCallback(
    async (node: FlowNode) => {
      const numbers = node.entries.map((e) => Number(e.keyword)).filter(Number.isInteger);
      const taken = new Set(node.entries.map((e) => e.keyword.toLowerCase()));
      let next = numbers.length ? Math.max(...numbers) + 1 : node.entries.length + 1;
      while (taken.has(String(next))) next++;
      const created = await createEntry({ nodeId: node.id, input: { keyword: String(next) } });
      select({ nodeId: node.id, entryId: created.id });
    },
    [createEntry, select],
  );

  const referenceCache = useRef(new Map<string, { key: string; list: EntryReference[] }>());
  const references = useMemo(() => {
    const byTarget = new Map<string, EntryReference[]>();
    for (const n of nodes ?? []) {
      for (const e of n.entries) {
        if ((e.redirectType === "interaction" || e.redirectType === "attribute") && e.redirectTo) {
          const list = byTarget.get(e.redirectTo) ?? [];
          list.push({ nodeId: n.id, nodeLabel: n.label, entryId: e.id, keyword: e.keyword });
          byTarget.set(e.redirectTo, list);
        }
      }
    }
    // The same references keep the same array, so the cards they are passed to skip re-rendering.
    const stable = new Map<string, EntryReference[]>();
    for (const [target, list] of byTarget) {
      const key = list.map((r) => `${r.entryId}:${r.keyword}:${r.nodeLabel}`).join("|");
      const cached = referenceCache.current.get(target);
      const kept = cached && cached.key === key ? cached.list : list;
      referenceCache.current.set(target, { key, list: kept });
      stable.set(target, kept);
    }
    return stable;
  }, [nodes]);

  const channel = flow.data?.channel;
  // Not keyed on the flow itself: every row reads this context, and an edit must re-render its own row only.
  const context: EditorContextValue | null = useMemo(
    () => (channel ? { campaignId, channel, targets, attributes, failing, openEntry, select } : null),
    [campaignId, channel, targets, attributes, failing, openEntry, select],
  );

  if (flow.isError) {
    return (
      <div className="page">
        <p role="alert" className="error">
          {flow.error instanceof ApiError ? flow.error.message : "This chatbot could not be loaded."}
        </p>
        <Link to="/campaigns">Back to campaigns</Link>
      </div>
    );
  }
  if (!flow.data || !context || !nodes) {
    return (
      <p className="page muted" aria-busy="true">
        Loading the chatbot…
      </p>
    );
  }

  const panelNode = panel ? nodes.find((n) => n.id === panel.nodeId) : undefined;
  const panelEntry = panelNode?.entries.find((e) => e.id === panel?.entryId);
  const name = campaign.data?.name ?? `Campaign ${campaignId}`;

  return (
    <EditorContext.Provider value={context}>
      <div className={`page ${styles.editor}`}>
        {/* Viewers read: every control of the editor is disabled for them, as the server would refuse the change. */}
        <fieldset className="plain" disabled={!canEdit} aria-label={canEdit ? undefined : "Read only"}>
          <Link className="back-link" to="/campaigns">
            <ArrowLeft size={14} aria-hidden /> Campaigns
          </Link>
          <header className="page-header row">
            <div>
              <h1>{name}</h1>
              <p className="muted">
                Chatbot · {channelLabels[flow.data.channel]} · {campaignId}
              </p>
            </div>
            <span className="row-actions">
              {publishControl(campaignId, name)}
              <button
                type="button"
                className="button"
                onClick={() => setSettingsOpen((o) => !o)}
                aria-expanded={settingsOpen}
                disabled={!campaign.data}
              >
                <Settings size={16} aria-hidden /> Settings
              </button>
              <Link className="button" to={`/campaigns/${campaignId}/conversations`}>
                <MessagesSquare size={16} aria-hidden /> Conversations
              </Link>
              <Link className="button" to={`/campaigns/${campaignId}/report`}>
                <ChartColumn size={16} aria-hidden /> Report
              </Link>
            </span>
          </header>
          {settingsOpen && campaign.data && settingsForm(campaign.data, () => setSettingsOpen(false))}
          <div className={styles.editorGrid}>
            <section aria-label="Interactions">
              {nodes.map((node, index) => (
                <NodeCard
                  key={node.id}
                  node={node}
                  index={index}
                  count={nodes.length}
                  referencedBy={references.get(node.id) ?? NO_REFERENCES}
                  selected={selection?.nodeId === node.id && !selection.entryId}
                  selectedEntryId={selection?.nodeId === node.id ? selection.entryId : null}
                  entryErrors={entryErrors[node.id] ?? EMPTY}
                  nodeErrors={nodeErrors[node.id]}
                  onNodeChange={onNodeChange}
                  onNodeDelete={onNodeDelete}
                  onEntryChange={onEntryChange}
                  onEntryDelete={onEntryDelete}
                  onEntryAdd={onEntryAdd}
                />
              ))}
              <button
                type="button"
                className="button"
                onClick={async () => {
                  const created = await addNode.mutateAsync({});
                  select({ nodeId: created.id, entryId: null });
                }}
                disabled={addNode.isPending}
              >
                <Plus size={16} aria-hidden /> Add Interaction
              </button>
            </section>
            <aside className={styles.editorSide}>
              <LivePreview />
            </aside>
          </div>
          {diagramReady ? (
            <Suspense fallback={<p className="muted">Drawing the flow diagram…</p>}>
              <FlowDiagram
                flow={diagramFlow ?? flow.data}
                campaigns={campaigns.data?.items ?? []}
                selection={selection}
                onSelect={select}
              />
            </Suspense>
          ) : (
            <p className="muted">Drawing the flow diagram…</p>
          )}
          {panel && panelNode && panelEntry && (
            <EntryPanel
              key={`${panel.entryId}-${panel.intent ? "intent" : ""}`}
              node={panelNode}
              entry={panelEntry}
              allowHttp={settings.data?.webhooks.allowHttp ?? false}
              focus={panel.focus}
              intent={panel.intent}
              onSave={(patch) => updateEntry.mutateAsync({ nodeId: panelNode.id, entryId: panelEntry.id, patch })}
              onClose={() => setPanel(null)}
            />
          )}
        </fieldset>
      </div>
    </EditorContext.Provider>
  );
}
