import type { Campaign } from "@switchboard/contracts/campaigns";
import { CampaignForm } from "../features/campaigns/components/CampaignForm";
import { PublishCell } from "../features/campaigns/components/PublishCell";
import { EditorPage, type EditorPageProps } from "../features/editor/components/EditorPage";

// Defined once, so the editor's header does not re-render for a new function on every render of this page.
const publishControl: EditorPageProps["publishControl"] = (campaignId, name, outcome) => (
  <PublishCell campaignId={campaignId} name={name} {...outcome} />
);
const settingsForm = (campaign: Campaign, onDone: () => void) => <CampaignForm campaign={campaign} onDone={onDone} />;

/**
 * The chatbot editor with the campaigns feature's Publish control and settings form in its slots: features never
 * import each other, the app composes them.
 */
export function CampaignEditorPage() {
  return <EditorPage publishControl={publishControl} settingsForm={settingsForm} />;
}
