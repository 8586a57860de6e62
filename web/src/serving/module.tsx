import type { ConsoleModule } from '../app/console-module';
import { ServingPage } from './serving-page';

export const servingModule: ConsoleModule = {
  id: 'serving',
  label: 'Serving',
  path: '/serving',
  routes: [
    { path: 'serving', element: <ServingPage /> },
    { path: 'serving/:env', element: <ServingPage /> },
  ],
};
