import { adminModule } from './admin/module';
import type { ConsoleModule } from './app/console-module';
import { approvalsModule } from './approvals/module';
import { auditModule } from './audit/module';
import { deployModule } from './deploy/module';
import { modelsModule } from './models/module';
import { monitorModule } from './monitor/module';
import { servingModule } from './serving/module';

/** The console's page groups, in menu order; the first is the landing page. */
export const consoleModules: ConsoleModule[] = [
  modelsModule,
  deployModule,
  approvalsModule,
  servingModule,
  monitorModule,
  auditModule,
  adminModule,
];
