import { lazy, Suspense } from 'react';
import type { ConsoleModule } from '../app/console-module';
import { ModelsListPage } from './models-list-page';
import './models.css';

// The model and version pages load on first visit: the list stays in the first bundle.
const ModelPage = lazy(() => import('./model-page').then((m) => ({ default: m.ModelPage })));
const VersionPage = lazy(() => import('./version-page').then((m) => ({ default: m.VersionPage })));

const loading = (
  <p className="loading" role="status">
    Loading…
  </p>
);

export const modelsModule: ConsoleModule = {
  id: 'models',
  label: 'Models',
  path: '/models',
  routes: [
    { path: 'models', element: <ModelsListPage /> },
    {
      path: 'models/:name',
      element: (
        <Suspense fallback={loading}>
          <ModelPage />
        </Suspense>
      ),
    },
    {
      path: 'models/:name/versions/:ref',
      element: (
        <Suspense fallback={loading}>
          <VersionPage />
        </Suspense>
      ),
    },
  ],
};
