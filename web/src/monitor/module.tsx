import type { ConsoleModule } from '../app/console-module';
import { DeploymentMonitorPage } from './deployment-monitor-page';
import { MonitoringPage } from './monitoring-page';
import './monitor.css';

export const monitorModule: ConsoleModule = {
  id: 'monitor',
  label: 'Monitoring',
  path: '/monitoring',
  routes: [
    { path: 'monitoring', element: <MonitoringPage /> },
    { path: 'monitoring/:environment/:model', element: <DeploymentMonitorPage /> },
  ],
};
