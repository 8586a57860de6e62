import type { ConsoleModule } from '../app/console-module';
import { DeploymentsPage } from './deployments-page';

export const deployModule: ConsoleModule = {
  id: 'deploy',
  label: 'Deployments',
  path: '/deployments',
  routes: [{ path: 'deployments', element: <DeploymentsPage /> }],
};
