import { Navigate } from 'react-router';
import type { ConsoleModule } from '../app/console-module';
import { AdminLayout } from './admin-layout';
import { EnvironmentsPage } from './environments-page';
import { SignersPage } from './signers-page';
import { TokensPage } from './tokens-page';
import { WebhooksPage } from './webhooks-page';

export const adminModule: ConsoleModule = {
  id: 'admin',
  label: 'Admin',
  path: '/admin',
  routes: [
    {
      path: 'admin',
      element: <AdminLayout />,
      children: [
        { index: true, element: <Navigate to="/admin/tokens" replace /> },
        { path: 'tokens', element: <TokensPage /> },
        { path: 'signers', element: <SignersPage /> },
        { path: 'webhooks', element: <WebhooksPage /> },
        { path: 'environments', element: <EnvironmentsPage /> },
      ],
    },
  ],
};
