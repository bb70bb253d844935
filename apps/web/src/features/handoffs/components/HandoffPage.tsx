import { useQuery } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import { Link, useParams } from "react-router";
import { campaignQuery } from "../../../api/campaigns";
import { ApiError } from "../../../lib/api-client";
import { useHandoffSettings } from "../api/handoff-settings";
import { HandoffWebhookForm } from "./HandoffWebhookForm";
import { RaffleForm } from "./RaffleForm";
import { RaffleResults } from "./RaffleResults";
import { SurveyForm } from "./SurveyForm";
import { SurveyResults } from "./SurveyResults";

/** A hand-off campaign's own page: its settings and its results. */
export function HandoffPage() {
  const campaignId = Number(useParams().campaignId);
  const settings = useHandoffSettings(campaignId);
  const campaign = useQuery(campaignQuery(campaignId));
  return (
    <div className="page">
      <Link className="back-link" to="/campaigns">
        <ArrowLeft size={14} aria-hidden /> Campaigns
      </Link>
      {settings.isError && (
        <p role="alert" className="error">
          {settings.error instanceof ApiError ? settings.error.message : "This campaign could not be loaded."}
        </p>
      )}
      {!settings.data && !settings.isError && (
        <p className="muted" aria-busy="true">
          Loading the campaign…
        </p>
      )}
      {settings.data?.type === "raffle_giveaway" && (
        <>
          <header className="page-header">
            <h1>{campaign.data?.name ?? `Campaign ${campaignId}`}</h1>
            <p className="muted">Raffle Giveaway · {campaignId}</p>
          </header>
          <RaffleForm
            key={settings.data.updatedAt}
            campaignId={campaignId}
            settings={settings.data}
            channel={campaign.data?.channel}
          />
          <HandoffWebhookForm
            key={`webhook-${settings.data.updatedAt}`}
            campaignId={campaignId}
            settings={settings.data}
          />
          <RaffleResults campaignId={campaignId} />
        </>
      )}
      {(settings.data?.type === "polls_surveys" || settings.data?.type === "web_polls_surveys") && (
        <>
          <header className="page-header">
            <h1>{campaign.data?.name ?? `Campaign ${campaignId}`}</h1>
            <p className="muted">
              {settings.data.type === "polls_surveys" ? "Polls & Surveys" : "Web Polls & Surveys"} · {campaignId}
            </p>
          </header>
          <SurveyForm
            key={settings.data.updatedAt}
            campaignId={campaignId}
            settings={settings.data}
            channel={campaign.data?.channel}
          />
          <HandoffWebhookForm
            key={`webhook-${settings.data.updatedAt}`}
            campaignId={campaignId}
            settings={settings.data}
          />
          <SurveyResults campaignId={campaignId} web={settings.data.type === "web_polls_surveys"} />
        </>
      )}
    </div>
  );
}
