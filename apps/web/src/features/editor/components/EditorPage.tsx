import type { Campaign } from "@switchboard/contracts/campaigns";
import type { Flow, FlowNode, MenuEntry, MenuEntryPatch, NodePatch } from "@switchboard/contracts/flow";
import { channelLabels } from "@switchboard/domain/campaign";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, ChartColumn, Download, History, MessagesSquare, Plus, Settings } from "lucide-react";
import {
  lazy,
  type ReactNode,
  Suspense,
  startTransition,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { Link, useParams } from "react-router";
import { useCampaign } from "../../../api/campaigns";
import { useIntegrationChoices } from "../../../api/integration-choices";
import { publicationQuery } from "../../../api/publication";
import { useCan } from "../../../api/session";
import { ApiError, api } from "../../../lib/api-client";
import { type FieldMessages, messagesByField } from "../../../lib/server-errors";
import { showToast } from "../../../lib/toasts";
import { exportChatbot } from "../api/export";
import {
  flowKey,
  hideEntry,
  redirectToCampaignsQuery,
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
import { entryElementId, nodeElementId } from "../model/element-ids";
import { draftProblems, type FlowProblem, placeProblem } from "../model/outline";
import { campaignTargets, nodeTargets, type Targets } from "../model/redirect-choices";
import { createUnsavedStore } from "../model/unsaved-store";
import { EntryIcons } from "./EntryIcons";
import { EntryPanel } from "./EntryPanel";
import styles from "./editor.module.css";
import { LivePreview } from "./LivePreview";
import { type EntryReference, NodeCard } from "./NodeCard";
import { Outline } from "./Outline";
import { SaveStatus } from "./SaveStatus";

// The diagram library is the heaviest part of the page: the table is usable before it arrives.
const FlowDiagram = lazy(() => import("./FlowDiagram"));

const EMPTY: Readonly<Record<string, FieldMessages>> = {};
const NO_REFERENCES: readonly EntryReference[] = [];
const UNDO_MS = 6000;
/** Cards built with the page itself: more than a screen's worth. */
const FIRST_CARDS = 3;

interface PanelState {
  nodeId: string;
  entryId: string;
  focus?: "webhook";
  intent?: EntryIntent;
}

/** A field Publish refused, as the API names it. */
export interface RefusedField {
  path: string;
  message: string;
}

export interface EditorPageProps {
  /**
   * Draft against published, and the Publish button: the campaigns feature's, put here by the app. `onRefused` gets
   * the fields a refused publish names, `onPublished` is told when it went through.
   */
  publishControl: (
    campaignId: number,
    name: string,
    outcome: { onRefused: (fields: readonly RefusedField[]) => void; onPublished: () => void },
  ) => ReactNode;
  /** The campaign's settings form, shown under the header while open; `onDone` closes it. */
  settingsForm: (campaign: Campaign, onDone: () => void) => ReactNode;
}

/** The chatbot editor: every Interaction with its entries, the live preview, the flow diagram and the entry panel. */
export function EditorPage({ publishControl, settingsForm }: EditorPageProps) {
  const campaignId = Number(useParams().campaignId);
  const client = useQueryClient();
  const campaign = useCampaign(campaignId);
  const flow = useFlow(campaignId);
  // Campaigns created in another tab must appear in Redirect To: the list is asked again whenever the page regains focus.
  const campaigns = useQuery({ ...redirectToCampaignsQuery(), refetchOnWindowFocus: "always" });
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
  // The first cards are built with the page; the others right after, in a transition: React yields between them, so
  // the first screen answers the marketer while a large chatbot's remaining hundreds of rows are built.
  const [allCards, setAllCards] = useState(false);
  useEffect(() => {
    if (loaded) startTransition(() => setAllCards(true));
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

  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const toggleCollapsed = useCallback(
    (nodeId: string) =>
      setCollapsed((all) => {
        const next = new Set(all);
        if (!next.delete(nodeId)) next.add(nodeId);
        return next;
      }),
    [],
  );

  const select = useCallback((next: Selection, field?: string) => {
    setSelection(next);
    // A node jumped to opens, so what was asked for can be seen.
    setCollapsed((all) => {
      if (!all.has(next.nodeId)) return all;
      const open = new Set(all);
      open.delete(next.nodeId);
      return open;
    });
    // After the render that highlights it: bring the row (or node) into view and put the cursor in it.
    requestAnimationFrame(() => {
      const el = document.getElementById(next.entryId ? entryElementId(next.entryId) : nodeElementId(next.nodeId));
      el?.scrollIntoView?.({ block: "center", behavior: "smooth" });
      const target =
        (field && el?.querySelector<HTMLElement>(`[data-field="${field}"]`)) ||
        el?.querySelector<HTMLElement>("input:not(:disabled), select:not(:disabled), textarea");
      target?.focus({ preventScroll: true });
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

  const [unsaved] = useState(createUnsavedStore);
  const [stale, setStale] = useState(false);
  // Bumped when the newer version is loaded: the fields start again from the server's values.
  const [generation, setGeneration] = useState(0);
  const noticeConflict = useCallback((error: unknown) => {
    if (error instanceof ApiError && error.problem.status === 409) setStale(true);
  }, []);

  // mutateAsync, not mutate's callbacks: those are told only for the latest of several changes in flight, and each
  // field waits for its own answer.
  const { mutateAsync: mutateEntry } = updateEntry;
  const onEntryChange = useCallback(
    (nodeId: string, entry: MenuEntry, patch: MenuEntryPatch, unloading = false) => {
      const path = `/api/v1/campaigns/${campaignId}/nodes/${nodeId}/entries/${entry.id}`;
      // The page is going away: the request must outlive it, and there is no cache left to update.
      if (unloading) return api<void>("PATCH", path, patch, { keepalive: true });
      return mutateEntry({ nodeId, entryId: entry.id, patch }).then(
        () => setErrorsFor(nodeId, entry.id, null),
        (error: unknown) => {
          setErrorsFor(nodeId, entry.id, messagesByField(error));
          noticeConflict(error);
          throw error;
        },
      );
    },
    [campaignId, mutateEntry, setErrorsFor, noticeConflict],
  );

  // Before the page goes: what waits for its pause is sent (outliving the page); a value that cannot be sent (over a
  // limit, refused, failed) makes the browser ask whether to leave.
  useEffect(() => {
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (unsaved.flushAll(true)) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", beforeUnload);
    return () => window.removeEventListener("beforeunload", beforeUnload);
  }, [unsaved]);

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

  const { mutateAsync: mutateNode } = updateNode;
  const onNodeChange = useCallback(
    (nodeId: string, patch: NodePatch, unloading = false) => {
      if (unloading) {
        return api<void>("PATCH", `/api/v1/campaigns/${campaignId}/nodes/${nodeId}`, patch, { keepalive: true });
      }
      return mutateNode({ nodeId, patch }).then(
        () => setNodeErrors((all) => (all[nodeId] ? { ...all, [nodeId]: {} } : all)),
        (error: unknown) => {
          setNodeErrors((all) => ({ ...all, [nodeId]: messagesByField(error) ?? {} }));
          noticeConflict(error);
          throw error;
        },
      );
    },
    [campaignId, mutateNode, noticeConflict],
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
      try {
        const created = await createEntry({ nodeId: node.id, input: { keyword: String(next) } });
        select({ nodeId: node.id, entryId: created.id });
      } catch {
        // The query client tells why in a toast; nothing was added.
      }
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

  // What Publish would refuse, by node, for the outline: checked by the domain's own rule, a moment after each edit.
  const allowHttp = settings.data?.webhooks.allowHttp ?? false;
  const problemsByNode = useMemo(() => {
    const byNode = new Map<string, FlowProblem[]>();
    // Checked once the rows answer, with the diagram: the first paint of a large chatbot does not wait for it.
    if (!diagramFlow || !diagramReady) return byNode;
    const problems = draftProblems(diagramFlow, {
      campaignIds: new Set(campaignChoices.map((c) => c.value)),
      integrationIds: new Set(integrationChoices.map((c) => c.value)),
      allowHttp,
    });
    for (const p of problems) byNode.set(p.nodeId, [...(byNode.get(p.nodeId) ?? []), p]);
    return byNode;
  }, [diagramFlow, diagramReady, campaignChoices, integrationChoices, allowHttp]);

  const [refused, setRefused] = useState<readonly FlowProblem[] | null>(null);
  const publishOutcome = useMemo(
    () => ({
      onRefused: (fields: readonly RefusedField[]) => {
        const current = client.getQueryData<Flow>(flowKey(campaignId));
        if (!current) return;
        const placed = fields.flatMap((f) => placeProblem(current, f.path, f.message) ?? []);
        setRefused(placed);
        // Every refused field is marked beside itself, as a refused save would be.
        const byEntry: Record<string, Record<string, FieldMessages>> = {};
        const byNode: Record<string, FieldMessages> = {};
        for (const p of placed) {
          const field = p.field ?? "keyword";
          if (p.entryId) {
            byEntry[p.nodeId] ??= {};
            const messages = (byEntry[p.nodeId] as Record<string, FieldMessages>)[p.entryId] ?? {};
            messages[field] ??= p.message;
            (byEntry[p.nodeId] as Record<string, FieldMessages>)[p.entryId] = messages;
          } else {
            byNode[p.nodeId] = { ...byNode[p.nodeId], [p.field ?? "label"]: p.message };
          }
        }
        setEntryErrors(byEntry);
        setNodeErrors(byNode);
      },
      onPublished: () => setRefused(null),
    }),
    [client, campaignId],
  );

  const channel = flow.data?.channel;
  // Not keyed on the flow itself: every row reads this context, and an edit must re-render its own row only.
  const context: EditorContextValue | null = useMemo(
    () => (channel ? { campaignId, channel, targets, attributes, failing, openEntry, select, unsaved } : null),
    [campaignId, channel, targets, attributes, failing, openEntry, select, unsaved],
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
        <EntryIcons />
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
              <SaveStatus store={unsaved} />
              {publishControl(campaignId, name, publishOutcome)}
              <button
                type="button"
                className="button"
                onClick={() => setSettingsOpen((o) => !o)}
                aria-expanded={settingsOpen}
                disabled={!campaign.data}
              >
                <Settings size={16} aria-hidden /> Settings
              </button>
              <button
                type="button"
                className="button"
                onClick={() =>
                  exportChatbot(campaignId, name).catch((error: unknown) =>
                    showToast({
                      kind: "error",
                      message: error instanceof ApiError ? error.message : "The chatbot could not be exported.",
                    }),
                  )
                }
              >
                <Download size={16} aria-hidden /> Export
              </button>
              <Link className="button" to={`/campaigns/${campaignId}/versions`}>
                <History size={16} aria-hidden /> Versions
              </Link>
              <Link className="button" to={`/campaigns/${campaignId}/conversations`}>
                <MessagesSquare size={16} aria-hidden /> Conversations
              </Link>
              <Link className="button" to={`/campaigns/${campaignId}/report`}>
                <ChartColumn size={16} aria-hidden /> Report
              </Link>
            </span>
          </header>
          {settingsOpen && campaign.data && settingsForm(campaign.data, () => setSettingsOpen(false))}
          {refused && refused.length > 0 && (
            <section aria-label="Problems" className={`card ${styles.notice}`}>
              <h2 className="h2">
                Not published: {refused.length === 1 ? "1 problem" : `${refused.length} problems`} to fix
              </h2>
              <ul>
                {refused.map((p) => (
                  <li key={`${p.nodeId}-${p.entryId}-${p.field}-${p.message}`}>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => select({ nodeId: p.nodeId, entryId: p.entryId }, p.field ?? undefined)}
                    >
                      {p.message}
                    </button>
                  </li>
                ))}
              </ul>
              <button type="button" className="button small" onClick={() => setRefused(null)}>
                Close
              </button>
            </section>
          )}
          {stale && (
            <div role="alert" className={styles.notice}>
              <p>
                This chatbot was changed in another tab or by someone else since you opened it: your last change was not
                saved, so nothing of theirs was overwritten.
              </p>
              <button
                type="button"
                className="button small"
                onClick={async () => {
                  await client.invalidateQueries({ queryKey: flowKey(campaignId) });
                  setStale(false);
                  setGeneration((g) => g + 1);
                }}
              >
                Load the newer version
              </button>
            </div>
          )}
          <div className={styles.editorGrid}>
            <section aria-label="Interactions" key={generation}>
              {nodes.map((node, index) =>
                index >= FIRST_CARDS && !allCards ? (
                  // Built in the transition below; the id already answers the outline's jumps and the viewport watch.
                  <div
                    key={node.id}
                    id={nodeElementId(node.id)}
                    className={`card ${styles.nodeCard}`}
                    aria-busy="true"
                  />
                ) : (
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
                    collapsed={collapsed.has(node.id)}
                    onToggleCollapsed={toggleCollapsed}
                  />
                ),
              )}
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
              <Outline
                flow={diagramFlow ?? flow.data}
                problems={problemsByNode}
                onJump={select}
                onCollapseAll={(all) => setCollapsed(all ? new Set(nodes.map((n) => n.id)) : new Set())}
              />
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
