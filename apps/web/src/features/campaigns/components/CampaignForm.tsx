import { zodResolver } from "@hookform/resolvers/zod";
import { type Campaign, campaignInput } from "@switchboard/contracts/campaigns";
import { campaignStatusLabels, campaignTypeLabels, channelLabels } from "@switchboard/domain/campaign";
import { TRIGGER_KEYWORD_LENGTH_MAX, TRIGGER_KEYWORDS_MAX } from "@switchboard/domain/trigger";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import type { z } from "zod";
import { useSenders } from "../../../api/senders";
import { FieldError } from "../../../components/FieldError";
import { FormError } from "../../../components/FormError";
import { LabelOptions } from "../../../components/LabelOptions";
import { TextField } from "../../../components/TextField";
import { ApiError } from "../../../lib/api-client";
import { applyServerErrors } from "../../../lib/server-errors";
import { showToast } from "../../../lib/toasts";
import { useCreateCampaign, useUpdateCampaign } from "../api/save-campaign";
import { KeywordChips } from "./KeywordChips";

type Values = z.input<typeof campaignInput>;
const fields = ["name", "type", "channel", "senderId", "status", "triggerKeywords", "autoReply"] as const;

/** Creates a campaign, or (given one) edits its settings; type and channel are fixed once it exists. */
export function CampaignForm({ campaign, onDone }: { campaign?: Campaign; onDone: () => void }) {
  const senders = useSenders();
  const create = useCreateCampaign();
  const update = useUpdateCampaign(campaign?.id ?? 0);
  const navigate = useNavigate();
  const form = useForm<Values, unknown, z.output<typeof campaignInput>>({
    resolver: zodResolver(campaignInput),
    defaultValues: campaign
      ? {
          name: campaign.name,
          type: campaign.type,
          channel: campaign.channel,
          senderId: campaign.senderId,
          status: campaign.status,
          triggerKeywords: campaign.triggerKeywords,
          autoReply: campaign.autoReply,
        }
      : {
          name: "",
          type: "chatbot",
          channel: "sms",
          senderId: "",
          status: "draft",
          triggerKeywords: [],
          autoReply: false,
        },
  });
  const { errors } = form.formState;
  const channel = form.watch("channel");
  const keywords = form.watch("triggerKeywords") ?? [];
  const available = senders.data?.items.filter((s) => s.channel === channel) ?? [];
  const keywordError =
    errors.triggerKeywords?.message ??
    (errors.triggerKeywords as unknown as { message?: string }[] | undefined)?.find?.((e) => e?.message)?.message;
  const pending = create.isPending || update.isPending;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      if (campaign) {
        const { type: _t, channel: _c, ...patch } = values;
        const saved = await update.mutateAsync({ ...patch, revision: campaign.revision });
        showToast({ kind: "success", message: `Campaign ${saved.name} saved.` });
      } else {
        const created = await create.mutateAsync(values);
        showToast({ kind: "success", message: `Campaign ${created.name} (${created.id}) created.` });
        onDone();
        // A new chatbot is built next: its editor opens at once.
        if (created.type === "chatbot") navigate(`/campaigns/${created.id}`);
        return;
      }
      onDone();
    } catch (error) {
      if (!applyServerErrors(error, form.setError, fields) && error instanceof ApiError)
        form.setError("root", { message: error.message });
    }
  });

  return (
    <form
      className="card form-grid"
      onSubmit={onSubmit}
      aria-label={campaign ? `Settings of ${campaign.name}` : "New campaign"}
      noValidate
    >
      <TextField id="campaign-name" label="Name" registration={form.register("name")} error={errors.name?.message} />
      <div className="field">
        <label htmlFor="campaign-type">Type</label>
        <select id="campaign-type" {...form.register("type")} disabled={!!campaign}>
          <LabelOptions labels={campaignTypeLabels} />
        </select>
      </div>
      <div className="field">
        <label htmlFor="campaign-channel">Channel</label>
        <select id="campaign-channel" {...form.register("channel")} disabled={!!campaign}>
          <LabelOptions labels={channelLabels} />
        </select>
      </div>
      <div className="field">
        <label htmlFor="campaign-sender">Sender</label>
        <select
          id="campaign-sender"
          {...form.register("senderId")}
          aria-invalid={!!errors.senderId}
          aria-describedby="campaign-sender-error"
        >
          <option value="">
            {available.length ? "Choose a sender" : `No ${channelLabels[channel ?? "sms"]} sender yet`}
          </option>
          {available.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.address})
            </option>
          ))}
        </select>
        <FieldError
          id="campaign-sender-error"
          message={
            errors.senderId?.type === "server"
              ? errors.senderId.message
              : errors.senderId
                ? "Choose a sender."
                : undefined
          }
        />
      </div>
      <div className="field">
        <label htmlFor="campaign-status">Status</label>
        <select id="campaign-status" {...form.register("status")} aria-describedby="campaign-status-error">
          <LabelOptions labels={campaignStatusLabels} />
        </select>
        <FieldError id="campaign-status-error" message={errors.status?.message} />
      </div>
      <div className="field span-2">
        <label htmlFor="campaign-keywords">Trigger keywords</label>
        <KeywordChips
          id="campaign-keywords"
          value={keywords}
          invalid={!!keywordError}
          describedBy="campaign-keywords-hint campaign-keywords-error"
          onChange={(next) => form.setValue("triggerKeywords", next, { shouldValidate: true, shouldDirty: true })}
        />
        <span id="campaign-keywords-hint" className="hint">
          {keywords.length} of {TRIGGER_KEYWORDS_MAX}; each at most {TRIGGER_KEYWORD_LENGTH_MAX} characters. Enter or a
          comma adds one.
        </span>
        <FieldError id="campaign-keywords-error" message={keywordError} />
      </div>
      <label className="field checkbox">
        <input type="checkbox" {...form.register("autoReply")} aria-describedby="campaign-autoreply-error" />
        <span>Auto-Reply: answer any unmatched text with the Welcome Message</span>
        <FieldError id="campaign-autoreply-error" message={errors.autoReply?.message} />
      </label>
      <div className="form-actions">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={pending}>
          {campaign ? "Save settings" : "Create campaign"}
        </button>
      </div>
      <FormError message={errors.root?.message} className="span-2" />
    </form>
  );
}
