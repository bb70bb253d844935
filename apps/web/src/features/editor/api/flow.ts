import type {
  Flow,
  FlowNode,
  MenuEntry,
  MenuEntryInput,
  MenuEntryPatch,
  NodeInput,
  NodePatch,
} from "@switchboard/contracts/flow";
import { type QueryClient, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { campaignsQuery } from "../../../api/campaigns";
import { api, get } from "../../../lib/api-client";

export const flowKey = (campaignId: number) => ["flow", campaignId] as const;

export const flowQuery = (campaignId: number) =>
  queryOptions({ queryKey: flowKey(campaignId), queryFn: () => get<Flow>(`/api/v1/campaigns/${campaignId}/flow`) });

export const useFlow = (campaignId: number) => useQuery(flowQuery(campaignId));

/** The campaigns Redirect To offers (up to 200): one query for the editor and its route's prefetch. */
export const redirectToCampaignsQuery = () => campaignsQuery({ limit: 200 });

const base = (campaignId: number) => `/api/v1/campaigns/${campaignId}`;

/**
 * The draft revision this change is made from, asked for when the change is sent (changes go out one after another,
 * each counting on the ones before): a change made from a stale draft is refused (409) instead of overwriting another
 * tab's or person's work.
 */
function fromRevision(client: QueryClient, campaignId: number, path: string): string {
  const revision = client.getQueryData<Flow>(flowKey(campaignId))?.revision;
  return revision === undefined ? path : `${path}?revision=${revision}`;
}

/** Each accepted change makes the draft's revision one more. */
function countRevision(client: QueryClient, campaignId: number) {
  client.setQueryData<Flow>(flowKey(campaignId), (flow) => (flow ? { ...flow, revision: flow.revision + 1 } : flow));
}

/** Replaces one node in the cached flow; untouched nodes keep their identity so their rows skip re-rendering. */
function mapNode(flow: Flow, nodeId: string, change: (node: FlowNode) => FlowNode): Flow {
  return { ...flow, nodes: flow.nodes.map((n) => (n.id === nodeId ? change(n) : n)) };
}

function mapEntry(flow: Flow, nodeId: string, entryId: string, change: (e: MenuEntry) => MenuEntry): Flow {
  return mapNode(flow, nodeId, (n) => ({ ...n, entries: n.entries.map((e) => (e.id === entryId ? change(e) : e)) }));
}

function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  if (item !== undefined) copy.splice(to, 0, item);
  return copy;
}

/**
 * Optimistic writes: the cache changes at once, is put back if the server refuses, and is replaced by the server's
 * answer when it accepts. Every editor mutation goes through here so they all behave alike.
 */
function optimistic<V, R>(
  client: QueryClient,
  campaignId: number,
  apply: (flow: Flow, vars: V) => Flow,
  settle: (flow: Flow, result: R, vars: V) => Flow,
) {
  const key = flowKey(campaignId);
  return {
    // One queue per chatbot: changes reach the server in the order they were made (a Redirect To after its Redirect
    // Type), while the screen shows each at once.
    mutationKey: key,
    scope: { id: `flow-${campaignId}` },
    onMutate: async (vars: V) => {
      await client.cancelQueries({ queryKey: key });
      const previous = client.getQueryData<Flow>(key);
      if (previous) client.setQueryData<Flow>(key, apply(previous, vars));
      return { previous };
    },
    onError: (_e: unknown, _v: V, ctx: { previous?: Flow } | undefined) => {
      // Back to before this change, keeping the count of the changes accepted meanwhile.
      if (ctx?.previous) {
        const previous = ctx.previous;
        client.setQueryData<Flow>(key, (current) => ({
          ...previous,
          revision: current?.revision ?? previous.revision,
        }));
      }
    },
    onSuccess: (result: R, vars: V) => {
      countRevision(client, campaignId);
      // With later changes still queued, the server's answer is already stale: the last one settles the cache.
      if (client.isMutating({ mutationKey: key }) > 1) return;
      const current = client.getQueryData<Flow>(key);
      if (current) client.setQueryData<Flow>(key, settle(current, result, vars));
    },
  };
}

export interface EntryChange {
  nodeId: string;
  entryId: string;
  patch: MenuEntryPatch;
}

export function useUpdateEntry(campaignId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ nodeId, entryId, patch }: EntryChange) =>
      api<MenuEntry>(
        "PATCH",
        fromRevision(client, campaignId, `${base(campaignId)}/nodes/${nodeId}/entries/${entryId}`),
        patch,
      ),
    meta: { fieldErrors: true },
    ...optimistic<EntryChange, MenuEntry>(
      client,
      campaignId,
      (flow, { nodeId, entryId, patch }) => {
        const { webhook: _webhook, position, ...fields } = patch;
        let next = mapEntry(flow, nodeId, entryId, (e) => ({
          ...e,
          ...fields,
          hasWebhook:
            (fields.redirectType ?? e.redirectType) === "webhook" || (fields.webhookEnabled ?? e.webhookEnabled),
        }));
        if (position !== undefined) {
          next = mapNode(next, nodeId, (n) => {
            const from = n.entries.findIndex((e) => e.id === entryId);
            return from < 0 ? n : { ...n, entries: moveItem(n.entries, from, position) };
          });
        }
        return next;
      },
      // A signing secret shown once stays out of the cache.
      (flow, saved, { nodeId, entryId }) => mapEntry(flow, nodeId, entryId, () => withoutSigningSecret(saved)),
    ),
  });
}

function withoutSigningSecret(entry: MenuEntry): MenuEntry {
  if (!entry.webhook) return entry;
  const { signingSecret: _shown, ...webhook } = entry.webhook as MenuEntry["webhook"] & { signingSecret?: string };
  return { ...entry, webhook: webhook as NonNullable<MenuEntry["webhook"]> };
}

export function useAddEntry(campaignId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ nodeId, input }: { nodeId: string; input: MenuEntryInput }) =>
      api<MenuEntry>("POST", fromRevision(client, campaignId, `${base(campaignId)}/nodes/${nodeId}/entries`), input),
    scope: { id: `flow-${campaignId}` },
    meta: { fieldErrors: true },
    onSuccess: (saved, { nodeId }) => {
      countRevision(client, campaignId);
      client.setQueryData<Flow>(flowKey(campaignId), (flow) =>
        flow
          ? mapNode(flow, nodeId, (n) => {
              const entries = n.entries.filter((e) => e.id !== saved.id);
              entries.splice(Math.min(saved.position, entries.length), 0, saved);
              return { ...n, entries };
            })
          : flow,
      );
    },
  });
}

export function useDeleteEntry(campaignId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ nodeId, entryId }: { nodeId: string; entryId: string }) =>
      api<void>("DELETE", fromRevision(client, campaignId, `${base(campaignId)}/nodes/${nodeId}/entries/${entryId}`)),
    scope: { id: `flow-${campaignId}` },
    onSuccess: () => countRevision(client, campaignId),
    // The row is already gone from the cache (deleted with undo); on refusal the server's flow brings it back.
    onError: () => client.invalidateQueries({ queryKey: flowKey(campaignId) }),
  });
}

/** Hides a row at once; the caller sends the deletion when the undo window closes. */
export function hideEntry(client: QueryClient, campaignId: number, nodeId: string, entryId: string) {
  const key = flowKey(campaignId);
  const flow = client.getQueryData<Flow>(key);
  const node = flow?.nodes.find((n) => n.id === nodeId);
  const index = node?.entries.findIndex((e) => e.id === entryId) ?? -1;
  const entry = node?.entries[index];
  if (!flow || !entry) return null;
  client.setQueryData<Flow>(
    key,
    mapNode(flow, nodeId, (n) => ({ ...n, entries: n.entries.filter((e) => e !== entry) })),
  );
  return () =>
    client.setQueryData<Flow>(key, (current) =>
      current
        ? mapNode(current, nodeId, (n) => {
            const entries = [...n.entries];
            entries.splice(Math.min(index, entries.length), 0, entry);
            return { ...n, entries };
          })
        : current,
    );
}

export interface NodeChange {
  nodeId: string;
  patch: NodePatch;
}

export function useUpdateNode(campaignId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ nodeId, patch }: NodeChange) =>
      api<FlowNode>("PATCH", fromRevision(client, campaignId, `${base(campaignId)}/nodes/${nodeId}`), patch),
    meta: { fieldErrors: true },
    ...optimistic<NodeChange, FlowNode>(
      client,
      campaignId,
      (flow, { nodeId, patch }) => {
        const { position, ...fields } = patch;
        let next = mapNode(flow, nodeId, (n) => ({ ...n, ...fields }));
        if (position !== undefined) {
          const from = next.nodes.findIndex((n) => n.id === nodeId);
          next = { ...next, nodes: moveItem(next.nodes, from, position) };
        }
        return next;
      },
      (flow, saved, { nodeId }) => mapNode(flow, nodeId, () => saved),
    ),
  });
}

export function useAddNode(campaignId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NodeInput) =>
      api<FlowNode>("POST", fromRevision(client, campaignId, `${base(campaignId)}/nodes`), input),
    scope: { id: `flow-${campaignId}` },
    onSuccess: (saved) =>
      client.setQueryData<Flow>(flowKey(campaignId), (flow) =>
        flow
          ? { ...flow, revision: flow.revision + 1, nodes: [...flow.nodes.filter((n) => n.id !== saved.id), saved] }
          : flow,
      ),
  });
}

export function useDeleteNode(campaignId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (nodeId: string) =>
      api<void>("DELETE", fromRevision(client, campaignId, `${base(campaignId)}/nodes/${nodeId}`)),
    scope: { id: `flow-${campaignId}` },
    onSuccess: (_r, nodeId) =>
      client.setQueryData<Flow>(flowKey(campaignId), (flow) =>
        flow ? { ...flow, revision: flow.revision + 1, nodes: flow.nodes.filter((n) => n.id !== nodeId) } : flow,
      ),
  });
}
