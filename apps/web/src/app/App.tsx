import { lazy, Suspense } from "react";
import { createBrowserRouter, RouterProvider } from "react-router";
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

// The report brings the chart library: loaded when a report is opened, not with every page.
const ReportPage = lazy(() =>
  import("../features/reports/components/ReportPage").then((m) => ({ default: m.ReportPage })),
);

const router = createBrowserRouter([
  { path: "/sign-in", element: <SignInPage /> },
  { path: "/set-password", element: <SetPasswordPage /> },
  {
    path: "/",
    element: <Layout />,
    children: [
      { index: true, element: <HomeRedirect /> },
      { path: "inbox", element: <InboxPage /> },
      { path: "campaigns", element: <CampaignsPage /> },
      { path: "campaigns/import", element: <ImportPage /> },
      { path: "campaigns/from-template", element: <TemplatePage /> },
      { path: "campaigns/:campaignId", element: <CampaignEditorPage /> },
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
      { path: "admin/secret-headers", element: <SecretHeadersPage /> },
      { path: "admin/integrations", element: <IntegrationsPage /> },
      { path: "admin/tokens", element: <TokensPage /> },
      { path: "admin/audit", element: <AuditPage /> },
      { path: "*", element: <p className="page">This page does not exist.</p> },
    ],
  },
]);

/** Every page of Switchboard under its address: sign-in and set-password alone, the rest inside the signed-in layout. */
export function App() {
  return <RouterProvider router={router} />;
}
