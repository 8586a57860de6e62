import type { RouteObject } from 'react-router';

/**
 * One page group of the console (models, deployments, audit, …), one folder each. A later module
 * (monitoring, training) adds its folder and one line to `modules.ts`.
 */
export interface ConsoleModule {
  id: string;
  /** The navigation label; a module without one has pages but no menu entry. */
  label?: string;
  /** Where the menu entry points. */
  path: string;
  routes: RouteObject[];
}
