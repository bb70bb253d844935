import { campaignInput } from "@switchboard/contracts/campaigns";
import type { ImportPlan, importInput } from "@switchboard/contracts/chatbot-documents";
import { INT_MAX } from "@switchboard/contracts/common";
import { menuEntryInput } from "@switchboard/contracts/flow";
import type { LiveChatSettings } from "@switchboard/contracts/live-chat";
import type { fromTemplateInput } from "@switchboard/contracts/templates";
import {
  CHATBOT_DOCUMENT_KIND,
  type ChatbotDocument,
  type DocumentEntry,
  type DocumentHeader,
  type DocumentLiveChat,
  documentNeeds,
  documentProblems,
  nodeRef,
} from "@switchboard/domain/conversation/chatbot-document";
import { FLOW_FORMAT } from "@switchboard/domain/conversation/flow-format";
import { chatbotTemplates } from "@switchboard/domain/conversation/templates";
import type { JsonObject } from "@switchboard/domain/json";
import type { z } from "zod";
import type { CampaignService } from "../campaigns/campaign-service";
import { AppError, type FieldError } from "../errors/app-error";
import { redirectToOf } from "../flow/flow-mapping";
import { type FlowService, MARKETER } from "../flow/flow-service";
import type { FlowStore } from "../flow/flow-store";
import type { Writer } from "../secrets/header-merge";
import type { ExchangeStore } from "./exchange-store";

type ImportRequest = z.output<typeof importInput>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CAMPAIGN_ID = /^\d{1,9}$/;

/** What the plan settled for each outside reference: the id in this installation, or null to leave it out. */
interface Resolved {
  senderId: string | null;
  campaigns: Map<string, number | null>;
  integrations: Map<string, string | null>;
  secretHeaders: Map<string, string | null>;
  secretValues: Map<string, { secretHeaderId: string } | { value: string } | null>;
  /** null: the entry goes to every agent's inbox. */
  teams: Map<string, string | null>;
}

/** Export and import of chatbots as files, and new chatbots from templates (which are such files). */
export function exchangeService(deps: {
  store: ExchangeStore;
  flowStore: FlowStore;
  flows: FlowService;
  campaigns: CampaignService;
}) {
  const { store, flowStore, flows, campaigns } = deps;

  /** The needs of a document, each with what this installation suggests, what the mapping says and the problems. */
  const plan = async (
    request: ImportRequest,
    writer: Writer,
    options: { leaveUnmapped?: boolean } = {},
  ): Promise<ImportPlan & { resolved: Resolved }> => {
    const doc = request.document as ChatbotDocument;
    const mapping = request.mapping;
    const problems: FieldError[] = documentProblems(doc).map((p) => ({ ...p, path: `document.${p.path}` }));
    const needs = documentNeeds(doc);
    const resolved: Resolved = {
      senderId: null,
      campaigns: new Map(),
      integrations: new Map(),
      secretHeaders: new Map(),
      secretValues: new Map(),
      teams: new Map(),
    };

    // The sender: the one asked for, else the one with the file's address.
    let senderSuggestion: string | null = null;
    if (doc.sender) senderSuggestion = (await store.senderByAddress(doc.sender.address))?.id ?? null;
    const senderId = request.senderId ?? senderSuggestion;
    if (request.senderId) {
      const sender = await store.sender(request.senderId);
      if (!sender) {
        problems.push({
          path: "senderId",
          code: "unknown_sender",
          message: "Sender does not exist; choose one from the senders list.",
        });
      } else if (sender.channel !== doc.channel) {
        problems.push({
          path: "senderId",
          code: "channel_mismatch",
          message: `The chatbot is for ${doc.channel === "sms" ? "SMS" : "WhatsApp"}; choose a sender of that channel.`,
        });
      }
    } else if (!senderSuggestion) {
      problems.push({ path: "senderId", code: "required", message: "Choose the sender this chatbot answers on." });
    }
    resolved.senderId = senderId;

    const keysOf = (kind: string) => needs.filter((n) => n.kind === kind).map((n) => n.key);
    const campaignKeys = keysOf("campaign");
    const campaignNames = needs.filter((n) => n.kind === "campaign").flatMap((n) => nameIn(doc, n.key) ?? []);
    const mappedCampaigns = Object.values(mapping.campaigns).flatMap((v) => (v === null ? [] : [v]));
    const knownCampaigns = await store.campaigns({
      // An id beyond PostgreSQL's integer names no campaign (and the query would fail): it is reported as unknown.
      ids: [...campaignKeys.filter((k) => CAMPAIGN_ID.test(k)).map(Number), ...mappedCampaigns].filter(
        (id) => id <= INT_MAX,
      ),
      names: campaignNames,
    });
    const integrationKeys = keysOf("integration");
    const mappedIntegrations = Object.values(mapping.integrations).flatMap((v) => (v === null ? [] : [v]));
    const knownIntegrations = await store.integrations({
      ids: [...integrationKeys, ...mappedIntegrations].filter((k) => UUID.test(k)),
      aliases: needs.filter((n) => n.kind === "integration").flatMap((n) => integrationNameIn(doc, n.key) ?? []),
    });
    const secretKeys = keysOf("secret_header");
    const mappedSecrets = [
      ...Object.values(mapping.secretHeaders),
      ...Object.values(mapping.secretValues).map((v) => (v && "secretHeaderId" in v ? v.secretHeaderId : null)),
    ].flatMap((v) => (v === null ? [] : [v]));
    const knownSecrets = await store.secretHeaders({
      ids: [...secretKeys, ...mappedSecrets].filter((k) => UUID.test(k)),
      labels: needs.filter((n) => n.kind === "secret_header").map((n) => n.label.replace(/^Secret header /, "")),
    });

    const mappedTeams = Object.values(mapping.teams).flatMap((v) => (v === null ? [] : [v]));
    const knownTeams = await store.teams({
      ids: [...keysOf("team"), ...mappedTeams].filter((k) => UUID.test(k)),
      names: needs.filter((n) => n.kind === "team").flatMap((n) => teamNameIn(doc, n.key) ?? []),
    });

    const out = needs.map((need) => {
      let suggestion: string | null = null;
      let mapped: string | null | undefined;
      let mappingProblem: string | null = null;
      const key = need.key;
      if (need.kind === "campaign") {
        const name = nameIn(doc, key);
        suggestion =
          String(
            knownCampaigns.find((c) => String(c.id) === key && (name === null || c.name === name))?.id ??
              (knownCampaigns.filter((c) => c.name === name).length === 1
                ? knownCampaigns.find((c) => c.name === name)?.id
                : ""),
          ) || null;
        const given = mapping.campaigns[key];
        if (given !== undefined) {
          mapped = given === null ? null : String(given);
          if (given !== null && !knownCampaigns.some((c) => c.id === given))
            mappingProblem = `Campaign ${given} does not exist.`;
        }
        resolved.campaigns.set(key, resolve(mapped, suggestion, Number));
      } else if (need.kind === "integration") {
        const name = integrationNameIn(doc, key);
        suggestion =
          knownIntegrations.find((i) => i.id === key)?.id ??
          knownIntegrations.find((i) => i.alias === name)?.id ??
          null;
        const given = mapping.integrations[key];
        if (given !== undefined) {
          mapped = given;
          if (given !== null && !knownIntegrations.some((i) => i.id === given))
            mappingProblem = `Integration ${given} does not exist.`;
        }
        resolved.integrations.set(key, resolve(mapped, suggestion, String));
      } else if (need.kind === "team") {
        const name = teamNameIn(doc, key);
        suggestion = knownTeams.find((t) => t.id === key)?.id ?? knownTeams.find((t) => t.name === name)?.id ?? null;
        const given = mapping.teams[key];
        if (given !== undefined) {
          mapped = given;
          if (given !== null && !knownTeams.some((t) => t.id === given))
            mappingProblem = `Team ${given} does not exist.`;
        }
        resolved.teams.set(key, resolve(mapped, suggestion, String));
      } else if (need.kind === "secret_header") {
        const label = need.label.replace(/^Secret header /, "");
        suggestion =
          knownSecrets.find((s) => s.id === key)?.id ?? knownSecrets.find((s) => s.label === label)?.id ?? null;
        const given = mapping.secretHeaders[key];
        if (given !== undefined) {
          mapped = given;
          if (given !== null && !knownSecrets.some((s) => s.id === given))
            mappingProblem = `Secret header ${given} does not exist.`;
        }
        resolved.secretHeaders.set(key, resolve(mapped, suggestion, String));
      } else {
        const given = mapping.secretValues[key];
        if (given !== undefined) {
          mapped = given === null ? null : "secretHeaderId" in given ? given.secretHeaderId : "value";
          if (given && "secretHeaderId" in given && !knownSecrets.some((s) => s.id === given.secretHeaderId)) {
            mappingProblem = `Secret header ${given.secretHeaderId} does not exist.`;
          }
          if (given && "value" in given && !writer.mayWriteSecrets) {
            mappingProblem = "Only an admin may type a secret value; choose an admin-made secret header instead.";
          }
          resolved.secretValues.set(key, given);
        }
      }
      const mappingPath = {
        campaign: "campaigns",
        integration: "integrations",
        secret_header: "secretHeaders",
        secret_value: "secretValues",
        team: "teams",
      }[need.kind];
      if (mappingProblem) {
        problems.push({ path: `mapping.${mappingPath}.${key}`, code: "unknown_target", message: mappingProblem });
      } else if (mapped === undefined && suggestion === null && !options.leaveUnmapped) {
        for (const path of need.paths) {
          problems.push({
            path: `document.${path}`,
            code: "unmapped",
            message: `${need.label}: choose what stands for it in this installation (mapping.${mappingPath}), or null to leave it out.`,
          });
        }
      }
      return {
        kind: need.kind,
        key,
        label: need.label,
        paths: need.paths.map((p) => `document.${p}`),
        suggestion,
        mapped: mapped !== undefined || suggestion !== null,
      };
    });
    const senderNeed = {
      kind: "sender" as const,
      key: doc.sender?.address ?? "",
      label: doc.sender ? `Sender ${doc.sender.name} (${doc.sender.address})` : "Sender",
      paths: ["document.sender"],
      suggestion: senderSuggestion,
      mapped: senderId !== null,
    };
    return { valid: problems.length === 0, needs: [senderNeed, ...out], problems, resolved };
  };

  /** Creates the chatbot the document describes; any problem removes it again, all problems reported together. */
  const create = async (request: ImportRequest, writer: Writer, options: { leaveUnmapped?: boolean } = {}) => {
    const planned = await plan(request, writer, options);
    if (!planned.valid) throw problemsError(planned.problems);
    const doc = request.document as ChatbotDocument;
    const { resolved } = planned;
    const campaign = await campaigns.create(
      campaignInput.parse({
        name: request.name ?? doc.name,
        type: "chatbot",
        channel: doc.channel,
        senderId: resolved.senderId,
      }),
    );
    const errors: FieldError[] = [];
    const under = (prefix: string, e: unknown) => {
      if (!(e instanceof AppError) || e.errors.length === 0) throw e;
      errors.push(...e.errors.map((f) => ({ ...f, path: f.path.replace(/^body/, prefix) })));
    };
    try {
      const made = (await flows.getFlow(campaign.id)).nodes;
      const welcome = made[0] as (typeof made)[number];
      for (const extra of made.slice(1)) await flows.deleteNode(campaign.id, extra.id);
      const ids = new Map<string, string>();
      for (const [i, node] of doc.nodes.entries()) {
        const fields = { label: node.label, message: node.message, confirmationText: node.confirmationText };
        try {
          if (i === 0) {
            await flows.updateNode(campaign.id, welcome.id, fields);
            ids.set(node.ref, welcome.id);
          } else {
            ids.set(node.ref, (await flows.addNode(campaign.id, fields)).id);
          }
        } catch (e) {
          under(`document.nodes.${i}`, e);
        }
      }
      for (const [i, node] of doc.nodes.entries()) {
        const nodeId = ids.get(node.ref);
        if (!nodeId) continue;
        for (const [j, entry] of node.entries.entries()) {
          try {
            await flows.addEntry(campaign.id, nodeId, menuEntryInput.parse(toEntryInput(entry, ids, resolved)), writer);
          } catch (e) {
            under(`document.nodes.${i}.entries.${j}`, e);
          }
        }
      }
    } catch (e) {
      await campaigns.delete(campaign.id);
      throw e;
    }
    if (errors.length > 0) {
      await campaigns.delete(campaign.id);
      throw problemsError(errors);
    }
    return campaigns.get(campaign.id);
  };

  return {
    /** A chatbot's draft as a file. */
    async export(campaignId: number): Promise<ChatbotDocument> {
      const flow = await flows.getFlow(campaignId);
      const campaign = await campaigns.get(campaignId);
      const nodes = await flowStore.nodes(campaignId);
      const sender = await store.sender(campaign.senderId);
      const refs = new Map(nodes.map((n, i) => [n.id, nodeRef(i)]));
      const entries = nodes.flatMap((n) => n.entries);
      const campaignNames = await flowStore.campaignNames(entries.flatMap((e) => e.redirectCampaignId ?? []));
      const integrationNames = await flowStore.integrationNames(entries.flatMap((e) => e.redirectIntegrationId ?? []));
      const liveChats = new Map(flow.nodes.flatMap((n) => n.entries.map((e) => [e.id, e.liveChat ?? null] as const)));
      const teamNames = await flowStore.teamNames(
        [...liveChats.values()].flatMap((s) => (s?.teamId ? [s.teamId] : [])),
      );
      return {
        kind: CHATBOT_DOCUMENT_KIND,
        format: FLOW_FORMAT,
        name: campaign.name,
        channel: flow.channel,
        sender: sender ? { name: sender.name, address: sender.address } : null,
        nodes: nodes.map((n, i) => ({
          ref: nodeRef(i),
          kind: n.kind,
          label: n.label,
          message: n.message,
          confirmationText: n.confirmationText,
          entries: n.entries.map((e): DocumentEntry => {
            const to = redirectToOf(e);
            return {
              keyword: e.keyword,
              menuText: e.menuText,
              redirectType: e.redirectType,
              redirectTo:
                to === null
                  ? null
                  : e.redirectType === "campaign"
                    ? { campaign: { id: to, name: campaignNames.get(to) ?? null } }
                    : e.redirectType === "integration"
                      ? { integration: { id: to, name: integrationNames.get(to) ?? null } }
                      : { node: refs.get(to) ?? to },
              attribute: e.attribute,
              webhookEnabled: e.webhookEnabled,
              liveChat: documentLiveChat(liveChats.get(e.id) ?? null, refs, teamNames),
              webhook: e.webhook
                ? {
                    url: e.webhook.url,
                    body: JSON.parse(e.webhook.body) as JsonObject,
                    // Secret values never leave: an inline secret by its name, an admin-made one by its label.
                    headers: e.webhook.headers.map(
                      (h): DocumentHeader =>
                        h.secretHeaderId
                          ? { name: h.name, secretHeader: { id: h.secretHeaderId, label: h.secretHeader?.label ?? "" } }
                          : h.secret
                            ? { name: h.name, secret: true }
                            : { name: h.name, value: h.value },
                    ),
                  }
                : null,
            };
          }),
        })),
      };
    },

    async plan(request: ImportRequest, writer: Writer = MARKETER): Promise<ImportPlan> {
      const { resolved: _resolved, ...answer } = await plan(request, writer);
      return answer;
    },

    import: (request: ImportRequest, writer: Writer = MARKETER) => create(request, writer),

    templates: () => ({
      items: chatbotTemplates.map((t) => ({
        id: t.id,
        name: t.name,
        description: t.description,
        channel: t.document.channel,
      })),
    }),

    /**
     * A new chatbot from a template, which is a file like any other, on the sender's channel; what it points at and
     * this installation lacks (the raffle, when there is no campaign called Raffle) is left for the marketer.
     */
    async fromTemplate(input: z.output<typeof fromTemplateInput>, writer: Writer = MARKETER) {
      const template = chatbotTemplates.find((t) => t.id === input.templateId);
      if (!template) throw AppError.notFound(`Template ${input.templateId}`);
      const sender = await store.sender(input.senderId);
      const channel = sender?.channel === "whatsapp" ? "whatsapp" : "sms";
      return create(
        {
          document: { ...template.document, channel },
          name: input.name ?? template.name,
          senderId: input.senderId,
          mapping: input.mapping,
        },
        writer,
        { leaveUnmapped: true },
      );
    },
  };
}
export type ExchangeService = ReturnType<typeof exchangeService>;

function problemsError(problems: FieldError[]): AppError {
  return new AppError(
    "validation_failed",
    problems.length === 1 ? (problems[0] as FieldError).message : `${problems.length} fields are not valid.`,
    problems,
  );
}

function resolve<T>(mapped: string | null | undefined, suggestion: string | null, as: (v: string) => T): T | null {
  const chosen = mapped === undefined ? suggestion : mapped;
  return chosen === null ? null : as(chosen);
}

function nameIn(doc: ChatbotDocument, id: string): string | null {
  for (const e of doc.nodes.flatMap((n) => n.entries)) {
    if (e.redirectTo && "campaign" in e.redirectTo && e.redirectTo.campaign.id === id)
      return e.redirectTo.campaign.name;
  }
  return null;
}

function integrationNameIn(doc: ChatbotDocument, id: string): string | null {
  for (const e of doc.nodes.flatMap((n) => n.entries)) {
    if (e.redirectTo && "integration" in e.redirectTo && e.redirectTo.integration.id === id) {
      return e.redirectTo.integration.name;
    }
  }
  return null;
}

function teamNameIn(doc: ChatbotDocument, id: string): string | null {
  for (const e of doc.nodes.flatMap((n) => n.entries)) {
    if (e.liveChat?.team?.id === id) return e.liveChat.team.name;
  }
  return null;
}

function documentLiveChat(
  s: LiveChatSettings | null,
  refs: Map<string, string>,
  teamNames: Map<string, string>,
): DocumentLiveChat | null {
  if (!s) return null;
  return {
    handoverMessage: s.handoverMessage,
    team: s.teamId ? { id: s.teamId, name: teamNames.get(s.teamId) ?? null } : null,
    timeoutMinutes: s.timeoutMinutes,
    openingHours: s.openingHours,
    onTimeout:
      s.onTimeout.action === "bot"
        ? { action: "bot", message: s.onTimeout.message, node: refs.get(s.onTimeout.nodeId) ?? s.onTimeout.nodeId }
        : s.onTimeout,
  };
}

/** The file's settings in this installation: the team as mapped, the timeout's node by its new id. */
function liveChatInput(l: DocumentLiveChat | null | undefined, ids: Map<string, string>, resolved: Resolved) {
  if (!l) return null;
  return {
    handoverMessage: l.handoverMessage,
    teamId: l.team ? (resolved.teams.get(l.team.id) ?? null) : null,
    timeoutMinutes: l.timeoutMinutes,
    openingHours: l.openingHours,
    onTimeout:
      l.onTimeout.action === "bot"
        ? { action: "bot", message: l.onTimeout.message, nodeId: ids.get(l.onTimeout.node) ?? l.onTimeout.node }
        : l.onTimeout,
  };
}

type HeaderInput = { name: string; value?: string; secret: boolean; secretHeaderId?: string };

function toEntryInput(entry: DocumentEntry, ids: Map<string, string>, resolved: Resolved) {
  const to = entry.redirectTo;
  const redirectTo = !to
    ? null
    : "node" in to
      ? (ids.get(to.node) ?? null)
      : "campaign" in to
        ? (resolved.campaigns.get(to.campaign.id)?.toString() ?? null)
        : (resolved.integrations.get(to.integration.id) ?? null);
  return {
    keyword: entry.keyword,
    menuText: entry.menuText,
    redirectType: entry.redirectType,
    redirectTo,
    attribute: entry.attribute,
    webhookEnabled: entry.webhookEnabled,
    liveChat: liveChatInput(entry.liveChat, ids, resolved),
    webhook: entry.webhook
      ? {
          url: entry.webhook.url,
          body: entry.webhook.body,
          headers: entry.webhook.headers.flatMap((h): HeaderInput[] => {
            if ("value" in h) return [{ name: h.name, value: h.value, secret: false }];
            if ("secretHeader" in h) {
              const id = resolved.secretHeaders.get(h.secretHeader.id) ?? null;
              return id ? [{ name: h.name, secret: false, secretHeaderId: id }] : [];
            }
            const given = resolved.secretValues.get(h.name) ?? null;
            if (!given) return [];
            return "value" in given
              ? [{ name: h.name, value: given.value, secret: true }]
              : [{ name: h.name, secret: false, secretHeaderId: given.secretHeaderId }];
          }),
        }
      : null,
  };
}
