import { zodResolver } from "@hookform/resolvers/zod";
import { Check, X } from "lucide-react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { IconButton } from "../../../components/IconButton";
import { TextField } from "../../../components/TextField";
import { ApiError } from "../../../lib/api-client";
import { applyServerErrors } from "../../../lib/server-errors";
import { ALLOWED_HOSTS_HINT, allowedHostsText, splitHosts } from "../model/allowed-hosts";

const schema = z.object({ allowedHosts: allowedHostsText({ required: true }) });
type Values = z.infer<typeof schema>;

/** Changes the hosts a secret header's or an integration's secrets may be sent to, in place in its row. */
export function AllowedHostsEditor(props: {
  id: string;
  /** Whose hosts, for the form's accessible name. */
  of: string;
  hosts: readonly string[];
  onSave: (hosts: string[]) => Promise<unknown>;
  onDone: () => void;
}) {
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { allowedHosts: props.hosts.join(", ") },
  });
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await props.onSave(splitHosts(values.allowedHosts));
      props.onDone();
    } catch (error) {
      if (!applyServerErrors(error, form.setError, ["allowedHosts", "url"]) && error instanceof ApiError) {
        form.setError("allowedHosts", { message: error.message });
      }
    }
  });
  return (
    <form className="inline-form" onSubmit={onSubmit} aria-label={`Allowed hosts of ${props.of}`} noValidate>
      <TextField
        id={`${props.id}-hosts`}
        label="Allowed hosts"
        registration={form.register("allowedHosts")}
        error={form.formState.errors.allowedHosts?.message}
        hint={ALLOWED_HOSTS_HINT}
      />
      <span className="row-actions">
        <IconButton label="Save allowed hosts" icon={Check} type="submit" title="Save allowed hosts" />
        <IconButton label="Cancel" icon={X} title="Cancel" onClick={props.onDone} />
      </span>
    </form>
  );
}
