import type { components, paths } from '../api/schema';

type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer B } } };
}
  ? B
  : never;

export type ModelListItem = components['schemas']['ModelListItem'];
export type ModelDetail = Json<'/api/v1/models/{name}', 'get'>;
export type Version = components['schemas']['Version'];
export type VersionDetail = Json<'/api/v1/models/{name}/versions/{ref}', 'get'>;
export type AliasEvent = Json<'/api/v1/models/{name}/aliases/{alias}/history', 'get'>['items'][number];
export type Attestation = Json<'/api/v1/models/{name}/versions/{ref}/attestations', 'get'>[number];
export type Lineage = Version['lineage'];
export type TensorSpec = NonNullable<Version['ioSignature']>['inputs'][number];
