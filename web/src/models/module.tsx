import type { ConsoleModule } from '../app/console-module';
import { ModelsPage } from './models-page';

export const modelsModule: ConsoleModule = {
  id: 'models',
  label: 'Models',
  path: '/models',
  routes: [{ path: 'models', element: <ModelsPage /> }],
};
