import type { ConsoleModule } from '../app/console-module';
import { AuditPage } from './audit-page';

export const auditModule: ConsoleModule = {
  id: 'audit',
  label: 'Audit',
  path: '/audit',
  routes: [{ path: 'audit', element: <AuditPage /> }],
};
