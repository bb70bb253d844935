import type { QueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { SetPasswordPage } from "../features/account/components/SetPasswordPage";
import { SignInPage } from "../features/account/components/SignInPage";
import { AuditPage } from "../features/admin/components/AuditPage";
import { IntegrationsPage } from "../features/admin/components/IntegrationsPage";
import { SecretHeadersPage } from "../features/admin/components/SecretHeadersPage";
import { TeamsPage } from "../features/admin/components/TeamsPage";
import { TokensPage } from "../features/admin/components/TokensPage";
import { UsersPage } from "../features/admin/components/UsersPage";
import { CampaignsPage } from "../features/campaigns/components/CampaignsPage";
import { ConversationsPage } from "../features/conversations/components/ConversationsPage";
import { DeliveriesPage } from "../features/deliveries/components/DeliveriesPage";
import { ImportPage } from "../features/exchange/components/ImportPage";
import { TemplatePage } from "../features/exchange/components/TemplatePage";
import { HandoffPage } from "../features/handoffs/components/HandoffPage";
import { InboxPage } from "../features/live-chat/components/InboxPage";
import { OptOutsPage } from "../features/senders/components/OptOutsPage";
import { SendersPage } from "../features/senders/components/SendersPage";
import { VersionsPage } from "../features/versions/components/VersionsPage";
import { CampaignEditorPage } from "./CampaignEditorPage";
import { HomeRedirect, Layout } from "./Layout";
import { requestEditor, requestSession } from "./page-requests";

// The report brings the chart library: loaded when a report is opened, not with every page.
const ReportPage = lazy(() =>
  import("../features/reports/components/ReportPage").then((m) => ({ default: m.ReportPage })),
);

/**
 * Every page of Switchboard under its address: sign-in and set-password alone, the rest inside the signed-in layout.
 * Loaders start a page's requests when its address is matched, all at once, instead of one after another as each
 * component mounts (the session, then the page): they only fill the query cache and never hold the navigation.
 */
function createRouter(client: QueryClient) {
  return createBrowserRouter([
    { path: "/sign-in", element: <SignInPage /> },
    { path: "/set-password", element: <SetPasswordPage /> },
    {
      path: "/",
      element: <Layout />,
      loader: () => {
        requestSession(client);
        return null;
      },
      children: [
        { index: true, element: <HomeRedirect /> },
        { path: "inbox", element: <InboxPage /> },
        { path: "campaigns", element: <CampaignsPage /> },
        { path: "campaigns/import", element: <ImportPage /> },
        { path: "campaigns/from-template", element: <TemplatePage /> },
        {
          path: "campaigns/:campaignId",
          element: <CampaignEditorPage />,
          loader: ({ params }) => {
            requestEditor(client, Number(params.campaignId));
            return null;
          },
        },
        { path: "campaigns/:campaignId/raffle", element: <HandoffPage /> },
        { path: "campaigns/:campaignId/survey", element: <HandoffPage /> },
        { path: "campaigns/:campaignId/web-poll", element: <HandoffPage /> },
        { path: "campaigns/:campaignId/conversations", element: <ConversationsPage /> },
        { path: "campaigns/:campaignId/versions", element: <VersionsPage /> },
        {
          path: "campaigns/:campaignId/report",
          element: (
            <Suspense fallback={<p className="page muted">Loading the report…</p>}>
              <ReportPage />
            </Suspense>
          ),
        },
        { path: "senders", element: <SendersPage /> },
        { path: "senders/opt-outs", element: <OptOutsPage /> },
        { path: "deliveries", element: <DeliveriesPage /> },
        { path: "admin/users", element: <UsersPage /> },
        { path: "admin/teams", element: <TeamsPage /> },
        // The short address an admin is told ("Teams page: /teams").
        { path: "teams", element: <Navigate to="/admin/teams" replace /> },
        { path: "admin/secret-headers", element: <SecretHeadersPage /> },
        { path: "admin/integrations", element: <IntegrationsPage /> },
        { path: "admin/tokens", element: <TokensPage /> },
        { path: "admin/audit", element: <AuditPage /> },
        { path: "*", element: <p className="page">This page does not exist.</p> },
      ],
    },
  ]);
}

export function App({ queryClient }: { queryClient: QueryClient }) {
  const [router] = useState(() => createRouter(queryClient));
  return <RouterProvider router={router} />;
}
