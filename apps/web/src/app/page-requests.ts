import type { QueryClient } from "@tanstack/react-query";
import { campaignQuery } from "../api/campaigns";
import { sessionQuery } from "../api/session";
import { flowQuery, redirectToCampaignsQuery } from "../features/editor/api/flow";

// prefetchQuery never rejects and is never awaited here: a failure is the page's to show when it asks. A request
// already in flight or fresh in the cache is not sent again, so starting one twice costs nothing.

/** What every signed-in page needs: who is signed in. */
export function requestSession(client: QueryClient) {
  void client.prefetchQuery(sessionQuery());
}

/** What the chatbot editor needs to draw its first screen: the campaign, its flow and the Redirect To choices. */
export function requestEditor(client: QueryClient, campaignId: number) {
  if (!Number.isInteger(campaignId)) return;
  void client.prefetchQuery(campaignQuery(campaignId));
  void client.prefetchQuery(flowQuery(campaignId));
  void client.prefetchQuery(redirectToCampaignsQuery());
}

const signedOutPages = new Set(["/sign-in", "/set-password"]);
const editorAddress = /^\/campaigns\/(\d+)\/?$/;

/**
 * The first page's requests, started while the rest of the app's script is still being evaluated (≈ 150 ms with a
 * cold cache), before the router exists to run its loaders. The router's loaders ask for the same queries on every
 * later navigation; this covers only the addresses whose first screen waits on them.
 */
export function requestFirstPage(client: QueryClient, pathname: string) {
  if (signedOutPages.has(pathname)) return;
  requestSession(client);
  const editor = editorAddress.exec(pathname);
  if (editor) requestEditor(client, Number(editor[1]));
}
