import type { paths } from '../api/schema';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Environment = Json<'/api/v1/environments/{env}', 'get'>;
export type Live = Json<'/api/v1/environments/{env}/live', 'get'>;
export type LiveModel = Live['models'][number];
export type DeployRequest = Json<'/api/v1/deploy-requests/{id}', 'get'>;
export type GateVerdict = DeployRequest['gates']['gates'][number];
export type Approval = DeployRequest['approvals'][number];
export type Deployment = Json<'/api/v1/deploy-requests/{id}/apply', 'post'>;
export type VersionDetail = Json<'/api/v1/models/{name}/versions/{ref}', 'get'>;

export const requestStates = [
  'pending',
  'approved',
  'applied',
  'rejected',
  'cancelled',
  'expired',
  'superseded',
] as const;
export type RequestState = (typeof requestStates)[number];
