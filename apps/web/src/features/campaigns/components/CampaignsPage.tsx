import type { Campaign } from "@switchboard/contracts/campaigns";
import {
  type CampaignStatus,
  type CampaignType,
  type Channel,
  campaignStatusLabels,
  campaignTypeLabels,
  channelLabels,
} from "@switchboard/domain/campaign";
import { ChartColumn, LayoutTemplate, MessagesSquare, Plus, Search, Settings, Upload } from "lucide-react";
import { useDeferredValue, useState } from "react";
import { Link } from "react-router";
import { useCampaigns } from "../../../api/campaigns";
import { useCan } from "../../../api/session";
import { EmptyRow } from "../../../components/EmptyRow";
import { IconButton } from "../../../components/IconButton";
import { CampaignForm } from "./CampaignForm";
import styles from "./campaigns.module.css";
import { PublishCell } from "./PublishCell";

/** Where each campaign type is edited: the chatbot's flow, or the hand-off type's own page. */
const campaignPages: Record<Campaign["type"], string> = {
  chatbot: "",
  raffle_giveaway: "/raffle",
  polls_surveys: "/survey",
  web_polls_surveys: "/web-poll",
};

export function CampaignsPage() {
  const canEdit = useCan("marketer");
  const [q, setQ] = useState("");
  const [type, setType] = useState<CampaignType | "">("");
  const [channel, setChannel] = useState<Channel | "">("");
  const [status, setStatus] = useState<CampaignStatus | "">("");
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Campaign | null>(null);
  const search = useDeferredValue(q.trim());
  const campaigns = useCampaigns({
    q: search || undefined,
    type: type || undefined,
    channel: channel || undefined,
    status: status || undefined,
  });

  return (
    <div className="page">
      <header className="page-header row">
        <div>
          <h1>Campaigns</h1>
          <p className="muted">Chatbots, raffles and surveys on SMS and WhatsApp.</p>
        </div>
        <button
          type="button"
          className="button primary"
          onClick={() => setCreating(true)}
          disabled={creating || !canEdit}
          title={canEdit ? undefined : "Viewers cannot create campaigns"}
        >
          <Plus size={16} aria-hidden /> New campaign
        </button>
        {canEdit && (
          <span className="row-actions">
            <Link className="button" to="/campaigns/from-template">
              <LayoutTemplate size={16} aria-hidden /> New chatbot from template
            </Link>
            <Link className="button" to="/campaigns/import">
              <Upload size={16} aria-hidden /> Import
            </Link>
          </span>
        )}
      </header>
      {creating && <CampaignForm onDone={() => setCreating(false)} />}
      {editing && <CampaignForm key={editing.id} campaign={editing} onDone={() => setEditing(null)} />}
      <search className="filters" aria-label="Find campaigns">
        <label className="field inline grow">
          <Search size={16} aria-hidden />
          <input
            type="search"
            aria-label="Search campaigns"
            placeholder="Search by name or id"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </label>
        <Filter label="Type" value={type} onChange={setType} options={campaignTypeLabels} />
        <Filter label="Channel" value={channel} onChange={setChannel} options={channelLabels} />
        <Filter label="Status" value={status} onChange={setStatus} options={campaignStatusLabels} />
      </search>
      <table className="table" aria-label="Campaigns" aria-busy={campaigns.isFetching}>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Channel</th>
            <th scope="col">Status</th>
            <th scope="col">Trigger keywords</th>
            <th scope="col">Flow</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {campaigns.data?.items.map((c) => (
            <tr key={c.id}>
              <td className="mono">{c.id}</td>
              <td>
                <Link to={`/campaigns/${c.id}${campaignPages[c.type]}`} aria-label={`Edit ${c.name}`}>
                  {c.name}
                </Link>
              </td>
              <td>{campaignTypeLabels[c.type]}</td>
              <td>{channelLabels[c.channel]}</td>
              <td>
                <span className={`badge badge-${c.status}`}>{campaignStatusLabels[c.status]}</span>
              </td>
              <td>{c.triggerKeywords.join(", ") || <span className="muted">—</span>}</td>
              <td>
                {c.type === "chatbot" ? (
                  <span className="row-actions">
                    <PublishCell campaignId={c.id} name={c.name} />
                    <Link
                      className={styles.rowLink}
                      to={`/campaigns/${c.id}/conversations`}
                      aria-label={`Conversations of ${c.name}`}
                    >
                      <MessagesSquare size={16} aria-hidden />
                    </Link>
                    <Link
                      className={styles.rowLink}
                      to={`/campaigns/${c.id}/report`}
                      aria-label={`Report of ${c.name}`}
                    >
                      <ChartColumn size={16} aria-hidden />
                    </Link>
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                <IconButton
                  label={`Settings of ${c.name}`}
                  icon={Settings}
                  title="Settings"
                  disabled={!canEdit}
                  onClick={() => setEditing(c)}
                />
              </td>
            </tr>
          ))}
          {campaigns.data?.total === 0 && (
            <EmptyRow columns={8}>
              {search || type || channel || status
                ? "No campaign matches these filters."
                : "No campaigns yet. Create your first chatbot."}
            </EmptyRow>
          )}
        </tbody>
      </table>
      {campaigns.data && <p className="muted small">{campaigns.data.total} campaign(s)</p>}
    </div>
  );
}

function Filter<T extends string>(props: {
  label: string;
  value: T | "";
  onChange: (v: T | "") => void;
  options: Record<T, string>;
}) {
  return (
    <label className="field inline">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value as T | "")}>
        <option value="">All</option>
        {(Object.entries(props.options) as [T, string][]).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}
