import type { ConsoleModule } from '../app/console-module';
import { DeploymentsPage } from './deployments-page';
import { EnvironmentPage } from './environment-page';
import { RequestPage } from './request-page';
import { TargetPage } from './target-page';
import './deploy.css';

export const deployModule: ConsoleModule = {
  id: 'deploy',
  label: 'Deployments',
  path: '/deployments',
  routes: [
    { path: 'deployments', element: <DeploymentsPage /> },
    { path: 'deployments/:env', element: <EnvironmentPage /> },
    { path: 'deployments/:env/:model', element: <TargetPage /> },
    { path: 'deploy-requests/:id', element: <RequestPage /> },
  ],
};
