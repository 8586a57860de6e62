import type { paths } from '../api/schema';

type Json<P extends keyof paths, M extends 'get' | 'put'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type WindowPage = Json<'/api/v1/environments/{env}/monitor/windows', 'get'>;
export type MonitorWindow = WindowPage['items'][number];
export type WindowColumnDrift = NonNullable<MonitorWindow['drift']>['columns'][number];
export type WindowHistogram = MonitorWindow['histograms'][number];
export type MonitorStatus = Json<'/api/v1/environments/{env}/monitor/status', 'get'>;
/** A detector's reading as the alert engine stored it (value and threshold null when not finite). */
export type DetectorReading = NonNullable<MonitorWindow['readings']>[number];
export type AlertPage = Json<'/api/v1/environments/{env}/monitor/alerts', 'get'>;
export type MonitorAlert = AlertPage['items'][number];
export type MonitorPolicyView = Json<'/api/v1/environments/{env}/deployments/{model}/monitor-policy', 'get'>;

/** A p-value test drifts at or below its threshold; a distance at or above it. */
export const pValueTests: readonly string[] = ['ks', 'chisquare', 'z'];

/** A deployment's page in the console. */
export const monitorPath = (environment: string, model: string) =>
  `/monitoring/${encodeURIComponent(environment)}/${encodeURIComponent(model)}`;
