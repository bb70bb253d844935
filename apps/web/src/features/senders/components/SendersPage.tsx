import { zodResolver } from "@hookform/resolvers/zod";
import { type SenderInput, senderInput } from "@switchboard/contracts/senders";
import { channelLabels } from "@switchboard/domain/campaign";
import { Plus } from "lucide-react";
import { useForm } from "react-hook-form";
import { useSenders } from "../../../api/senders";
import { useCan } from "../../../api/session";
import { EmptyRow } from "../../../components/EmptyRow";
import { FormError } from "../../../components/FormError";
import { LabelOptions } from "../../../components/LabelOptions";
import { TextField } from "../../../components/TextField";
import { ApiError } from "../../../lib/api-client";
import { applyServerErrors } from "../../../lib/server-errors";
import { showToast } from "../../../lib/toasts";
import { useCreateSender } from "../api/add-sender";

export function SendersPage() {
  const senders = useSenders();
  const isAdmin = useCan("admin");
  const create = useCreateSender();
  const form = useForm<SenderInput>({
    resolver: zodResolver(senderInput),
    defaultValues: { name: "", channel: "sms", address: "" },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await create.mutateAsync(values);
      form.reset({ name: "", channel: values.channel, address: "" });
      showToast({ kind: "success", message: `Sender ${values.name} added.` });
    } catch (error) {
      if (!applyServerErrors(error, form.setError, ["name", "channel", "address"]) && error instanceof ApiError) {
        form.setError("root", { message: error.message });
      }
    }
  });

  return (
    <div className="page">
      <header className="page-header">
        <h1>Senders</h1>
        <p className="muted">The phone numbers and WhatsApp accounts your campaigns send from.</p>
      </header>
      {isAdmin && (
        <form className="card form-grid" onSubmit={onSubmit} aria-label="Add a sender" noValidate>
          <TextField id="sender-name" label="Name" registration={form.register("name")} error={errors.name?.message} />
          <div className="field">
            <label htmlFor="sender-channel">Channel</label>
            <select id="sender-channel" {...form.register("channel")}>
              <LabelOptions labels={channelLabels} />
            </select>
          </div>
          <TextField
            id="sender-address"
            label="Address"
            registration={form.register("address")}
            error={errors.address?.message}
            placeholder="+525500000000"
            inputMode="tel"
          />
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={create.isPending}>
              <Plus size={16} aria-hidden /> Add sender
            </button>
          </div>
          <FormError message={errors.root?.message} />
        </form>
      )}
      <table className="table" aria-label="Senders">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Channel</th>
            <th scope="col">Address</th>
          </tr>
        </thead>
        <tbody>
          {senders.data?.items.map((s) => (
            <tr key={s.id}>
              <td>{s.name}</td>
              <td>{channelLabels[s.channel]}</td>
              <td className="mono">{s.address}</td>
            </tr>
          ))}
          {senders.data?.total === 0 && (
            <EmptyRow columns={3}>No senders yet. Add the number your campaigns will send from.</EmptyRow>
          )}
        </tbody>
      </table>
    </div>
  );
}
