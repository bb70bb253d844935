import { validateAllowedHosts } from "@switchboard/domain/allowed-hosts";
import { z } from "zod";

/** The Allowed hosts field holds hosts separated by commas, spaces or new lines. */
export const splitHosts = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/** The field's text checked by the domain's rules, so its message shows beside it before anything is sent. */
export function allowedHostsText(options: { required: boolean }) {
  return z.string().superRefine((text, ctx) => {
    const hosts = splitHosts(text);
    if (hosts.length === 0) {
      if (options.required) ctx.addIssue({ code: "custom", message: "List at least one allowed host." });
      return;
    }
    const first = validateAllowedHosts(hosts)[0];
    if (first) ctx.addIssue({ code: "custom", message: first.message });
  });
}

export const ALLOWED_HOSTS_HINT =
  "Separated by commas: api.example.com, *.example.com (every subdomain). Ports do not count.";
