import type { ConsoleModule } from '../app/console-module';
import { AdminPage } from './admin-page';

export const adminModule: ConsoleModule = {
  id: 'admin',
  label: 'Admin',
  path: '/admin',
  routes: [{ path: 'admin', element: <AdminPage /> }],
};
