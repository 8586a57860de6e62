import { defineError } from '../platform/errors.js';
import { redactUrl, redactUrlsIn } from '../platform/redact-url.js';

export const serverUnreachable = defineError(
  'server_unreachable',
  'unavailable',
  // The URL may carry user-info or a query a user pasted with a credential in it: show where, not what.
  (url: string, reason: string) => ({
    message: `Cannot reach the Warden server at ${redactUrl(url)} (${redactUrlsIn(reason)}). Start it with \`warden serve\` or pass --url / WARDEN_URL.`,
    details: { url: redactUrl(url) },
  }),
);
export const serverUrlInvalid = defineError(
  'server_url_invalid',
  'invalid',
  (url: string, reason: string) => ({
    message: `The server URL ${JSON.stringify(url)} ${reason} (set by --url, WARDEN_URL or the saved login).`,
    details: { url },
  }),
);
export const unexpectedResponse = defineError('unexpected_response', 'internal', (status: number) => ({
  message: `The server answered with an unexpected HTTP ${status}.`,
  details: { status },
}));
export const outputNotEmpty = defineError('output_not_empty', 'conflict', (dir: string) => ({
  message: `${dir} exists and is not empty; choose an empty or new folder, or pass --force to overwrite files in it.`,
  details: { out: dir },
}));
export const signatureRequired = defineError(
  'signature_required',
  'precondition_failed',
  (target: string, why: string) => ({
    message: `${target}: ${why}; nothing was written (--require-signature).`,
    details: { target },
  }),
);
export const pulledFileMismatch = defineError('pulled_file_mismatch', 'integrity', (path: string) => ({
  message: `The bytes received for ${JSON.stringify(path)} do not match the version's manifest; nothing was written.`,
  details: { path },
}));
export const pulledRootMismatch = defineError('pulled_root_mismatch', 'integrity', (expected: string) => ({
  message: `The files received do not add up to the version's root digest ${expected}; nothing was written.`,
  details: { expected },
}));
export const fileChangedDuringUpload = defineError(
  'file_changed_during_upload',
  'conflict',
  (path: string) => ({
    message: `${path} changed while it was being uploaded; nothing was stored. Try again once it is stable.`,
    details: { path },
  }),
);
export const badOptionValue = defineError('invalid_option', 'invalid', (option: string, reason: string) => ({
  message: `${option}: ${reason}`,
  details: { option },
}));
export const unsafeVersionPath = defineError(
  'unsafe_version_path',
  'integrity',
  (target: string, problem: string, details: Record<string, unknown>) => ({
    message: `${target} cannot be written safely: ${problem} Nothing was written.`,
    details: { target, ...details },
  }),
);
export const unsafePullTarget = defineError(
  'unsafe_pull_target',
  'conflict',
  (where: string, why: string) => ({
    message: `${where} ${why}; the pull never writes through a symbolic link or over a folder, so nothing was written.`,
    details: { path: where },
  }),
);
export const pullWriteFailed = defineError(
  'pull_write_failed',
  'internal',
  (where: string, reason: string) => ({
    message: `Cannot write ${where} (${reason}); the pull stopped and its staging folder was removed.`,
    details: { path: where },
  }),
);
export const deployCheckFailed = defineError(
  'deploy_check_failed',
  'precondition_failed',
  (environment: string, failed: string[]) => ({
    message: `The version does not pass the gates of ${environment}: ${failed.join(', ')}.`,
    details: { environment, failed },
  }),
);
export const modelRefRequired = defineError('model_ref_required', 'invalid', (given: string) => ({
  message: `"${given}" names no version: use NAME@VERSION (a number, an alias or sha256:…).`,
  details: { given },
}));
