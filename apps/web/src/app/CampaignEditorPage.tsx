import type { Campaign } from "@switchboard/contracts/campaigns";
import { CampaignForm } from "../features/campaigns/components/CampaignForm";
import { PublishCell } from "../features/campaigns/components/PublishCell";
import { EditorPage } from "../features/editor/components/EditorPage";

// Defined once, so the editor's header does not re-render for a new function on every render of this page.
const publishControl = (campaignId: number, name: string) => <PublishCell campaignId={campaignId} name={name} />;
const settingsForm = (campaign: Campaign, onDone: () => void) => <CampaignForm campaign={campaign} onDone={onDone} />;

/**
 * The chatbot editor with the campaigns feature's Publish control and settings form in its slots: features never
 * import each other, the app composes them.
 */
export function CampaignEditorPage() {
  return <EditorPage publishControl={publishControl} settingsForm={settingsForm} />;
}
