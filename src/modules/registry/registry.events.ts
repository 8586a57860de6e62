/** The model an event concerns: its name, and its owner (whose team's administrators see the entry). */
export interface EventModel {
  name: string;
  owner: string;
}

/**
 * The audit events the registry emits, one per action with its typed facts; registry-audit.ts says how each
 * reads in the log. Each change records its event on its own transaction; an artifact read records alone.
 * Digests are hex, without the `sha256:` prefix.
 */
export type RegistryEvent =
  | { type: 'registry.model.created'; model: EventModel; tags: string[] }
  | {
      type: 'registry.model.updated';
      model: EventModel;
      descriptionChanged: boolean;
      /** The new tags with the ones they replaced, when the tags were set. */
      tags: { now: string[]; before: string[] } | null;
    }
  | {
      type: 'registry.version.pushed';
      model: EventModel;
      version: number;
      digest: string;
      files: number;
      size: number;
    }
  | {
      type: 'registry.version.deleted';
      model: EventModel;
      version: number;
      digest: string;
      files: number;
      reason: string;
    }
  | {
      type: 'registry.artifact.read';
      model: EventModel;
      version: number;
      path: string;
      digest: string;
      signatures: 'none' | 'verified' | 'failed' | 'revoked';
    }
  | {
      type: 'registry.alias.set';
      model: EventModel;
      alias: string;
      from: number | null;
      to: number;
      reason: string | null;
    }
  | {
      type: 'registry.alias.removed';
      model: EventModel;
      alias: string;
      from: number | null;
      reason: string | null;
    }
  | {
      type: 'registry.signature.attached';
      model: EventModel;
      version: number;
      digest: string;
      signer: string;
      keyHint: string;
      status: string;
      detail: string;
    }
  | { type: 'signing.signer.created'; signer: string; keyHint: string; curve: string; environments: string[] }
  | { type: 'signing.signer.revoked'; signer: string; keyHint: string };

export type RegistryEventType = RegistryEvent['type'];
