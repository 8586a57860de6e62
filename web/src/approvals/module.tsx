import type { ConsoleModule } from '../app/console-module';
import { ApprovalsPage } from './approvals-page';

export const approvalsModule: ConsoleModule = {
  id: 'approvals',
  label: 'Approvals',
  path: '/approvals',
  routes: [{ path: 'approvals', element: <ApprovalsPage /> }],
};
