import { ALLOWED_HOST_MAX, ALLOWED_HOSTS_MAX, validateAllowedHosts } from "@switchboard/domain/allowed-hosts";
import { z } from "zod";

/** The hosts a secret may be sent to, set by an admin: exact hosts and `*.example.com` wildcards, no ports. */
export const allowedHosts = z
  .array(z.string().max(ALLOWED_HOST_MAX, `A host is at most ${ALLOWED_HOST_MAX} characters.`))
  .max(ALLOWED_HOSTS_MAX, `At most ${ALLOWED_HOSTS_MAX} allowed hosts.`)
  .superRefine((list, ctx) => {
    for (const i of validateAllowedHosts(list))
      ctx.addIssue({ code: "custom", params: { code: i.code }, path: i.path, message: i.message });
  })
  .meta({
    description:
      'Exact hosts ("api.example.com", "203.0.113.7") and wildcards for every subdomain ("*.example.com"). Ports do not count: an allowed host is allowed on every port.',
  });

/** A list the admin must fill: a secret bound to no host could be sent nowhere. */
export const requiredAllowedHosts = allowedHosts.refine((list) => list.length > 0, {
  message: "List at least one allowed host.",
  params: { code: "required" },
});
