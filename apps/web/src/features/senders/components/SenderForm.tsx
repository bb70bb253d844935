import type { Sender } from "@switchboard/contracts/senders";
import { channelLabels } from "@switchboard/domain/campaign";
import { providerChannel, providerLabels } from "@switchboard/domain/messaging/provider";
import { Save } from "lucide-react";
import { useEffect } from "react";
import { useForm } from "react-hook-form";
import { FieldError } from "../../../components/FieldError";
import { FormError } from "../../../components/FormError";
import { LabelOptions } from "../../../components/LabelOptions";
import { TextField } from "../../../components/TextField";
import { ApiError } from "../../../lib/api-client";
import { showToast } from "../../../lib/toasts";
import { useCreateSender, useUpdateSender } from "../api/add-sender";
import {
  channelFor,
  formFieldOf,
  isCredential,
  providerFields,
  type SenderFormField,
  type SenderFormValues,
  senderFormValues,
  senderResolver,
  toSenderInput,
  toSenderPatch,
} from "../model/sender-form";

const fieldLabels: Record<SenderFormField, string> = {
  name: "Name",
  provider: "Provider",
  channel: "Channel",
  address: "Address",
  accountSid: "Account SID",
  authToken: "Auth token",
  phoneNumberId: "Phone number id",
  businessAccountId: "Business account id",
  accessToken: "Access token",
  appSecret: "App secret",
  verifyToken: "Verify token",
  outboundUrl: "Outbound URL",
  outboundHeaders: "Outbound headers",
  optOutKeywords: "Opt-out keywords",
  helpText: "Help text",
};

const hints: Partial<Record<SenderFormField, string>> = {
  verifyToken: "Left blank, one is generated. Paste it in Meta's console with the inbound URL.",
  outboundUrl: "Optional: your own gateway, sent each reply as a POST.",
  optOutKeywords: "Comma-separated. Any of them opts the number out of this sender until START.",
  helpText: "The answer to HELP.",
};

/**
 * A sender's form for each provider: its settings in plain fields, its credentials write-only (never shown back;
 * left blank when editing, the stored ones are kept), and its opt-out keywords and help text.
 */
export function SenderForm({ sender, onSaved }: { sender?: Sender; onSaved?: () => void }) {
  const create = useCreateSender();
  const update = useUpdateSender(sender?.id ?? "");
  const form = useForm<SenderFormValues>({
    resolver: senderResolver(sender),
    defaultValues: senderFormValues(sender),
  });
  const { errors } = form.formState;
  const provider = sender?.provider ?? form.watch("provider");
  const fixedChannel = providerChannel[provider];
  // Twilio SMS carries SMS only, the WhatsApp providers WhatsApp only: the channel follows the provider.
  useEffect(() => {
    if (fixedChannel) form.setValue("channel", fixedChannel);
  }, [fixedChannel, form]);
  const id = (field: SenderFormField) => `sender-${sender ? "edit-" : ""}${field}`;
  const pending = create.isPending || update.isPending;

  const onSubmit = form.handleSubmit(async (values) => {
    const v = { ...values, channel: channelFor(values.provider, values.channel) };
    try {
      if (sender) await update.mutateAsync(toSenderPatch(v, sender));
      else await create.mutateAsync(toSenderInput(v));
      showToast({ kind: "success", message: sender ? `Sender ${v.name} saved.` : `Sender ${v.name} added.` });
      if (!sender) form.reset({ ...senderFormValues(), provider: v.provider, channel: v.channel });
      onSaved?.();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      let placed = false;
      for (const e of error.problem.errors ?? []) {
        const field = formFieldOf(e.path);
        if (field) {
          form.setError(field, { type: "server", message: e.message });
          placed = true;
        }
      }
      if (!placed) form.setError("root", { message: error.message });
    }
  });

  const text = (field: SenderFormField, extra: { placeholder?: string; inputMode?: "tel" | "numeric" } = {}) => {
    const credential = isCredential(field);
    return (
      <TextField
        key={field}
        id={id(field)}
        label={fieldLabels[field]}
        registration={form.register(field)}
        error={errors[field]?.message}
        hint={credential && sender ? "Write-only: left blank, the stored one is kept." : hints[field]}
        type={credential ? "password" : "text"}
        autoComplete={credential ? "new-password" : "off"}
        {...extra}
      />
    );
  };

  return (
    <form
      className="card form-grid"
      onSubmit={onSubmit}
      aria-label={sender ? `Edit sender ${sender.name}` : "Add a sender"}
      noValidate
    >
      {text("name")}
      <div className="field">
        <label htmlFor={id("provider")}>Provider</label>
        <select id={id("provider")} {...form.register("provider")} disabled={!!sender}>
          <LabelOptions labels={providerLabels} />
        </select>
      </div>
      <div className="field">
        <label htmlFor={id("channel")}>Channel</label>
        <select
          id={id("channel")}
          {...form.register("channel")}
          disabled={!!sender || !!fixedChannel}
          aria-describedby={`${id("channel")}-error`}
        >
          <LabelOptions labels={channelLabels} />
        </select>
        <FieldError id={`${id("channel")}-error`} message={errors.channel?.message} />
      </div>
      {text("address", {
        placeholder: provider === "twilio_whatsapp" ? "whatsapp:+525500000000" : "+525500000000",
        inputMode: "tel",
      })}
      {providerFields[provider].map((field) =>
        field === "outboundHeaders" ? (
          <div className="field" key={field}>
            <label htmlFor={id(field)}>{fieldLabels[field]}</label>
            <textarea
              id={id(field)}
              rows={2}
              placeholder="Authorization: Bearer …"
              {...form.register(field)}
              aria-invalid={!!errors[field]}
              aria-describedby={`${id(field)}-error ${id(field)}-hint`}
            />
            <span id={`${id(field)}-hint`} className="hint">
              One "Name: value" a line. Write-only: sealed, never shown back
              {sender ? "; left blank, the stored ones are kept" : ""}.
            </span>
            <FieldError id={`${id(field)}-error`} message={errors[field]?.message} />
          </div>
        ) : (
          text(field, field === "phoneNumberId" || field === "businessAccountId" ? { inputMode: "numeric" } : {})
        ),
      )}
      {text("optOutKeywords")}
      {text("helpText")}
      {provider !== "http" && provider !== "twilio_sms" && (
        <p className="hint">
          WhatsApp templates are not supported yet: a free-form message outside WhatsApp's 24-hour customer-service
          window is refused, with the reason on the message.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={pending}>
          <Save size={16} aria-hidden /> {sender ? "Save sender" : "Add sender"}
        </button>
      </div>
      <FormError message={errors.root?.message} />
    </form>
  );
}
