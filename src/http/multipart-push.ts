import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { IncomingFile, PushSource } from '../modules/registry/index.js';
import { AppError } from '../platform/errors.js';
import { toFieldErrors } from './field-errors.js';
import { bodyTooLarge, invalidMultipart, invalidRequest, malformedJson } from './http-errors.js';
import { PushMetadata } from './schemas/registry.schemas.js';
import { findIllFormedText, textError } from './text-guard.js';

const checkMetadata = Compile(PushMetadata);

/** RFC 2046 §5.1.1: a boundary is 1 to 70 characters. */
const maxBoundaryLength = 70;

/**
 * The boundary parameter of a multipart content type, quoted or not ('' when absent). Given twice, the
 * longest counts: which one the parser picks is its business, and neither may be too long.
 */
function boundaryOf(contentType: string): string {
  let longest = '';
  for (const m of contentType.matchAll(/;\s*boundary\*?=(?:"([^"]*)"|([^;\s]*))/gi)) {
    const value = m[1] ?? m[2] ?? '';
    if (value.length > longest.length) longest = value;
  }
  return longest;
}

export interface PushLimitsHttp {
  maxFileBytes: number;
  maxFilesPerVersion: number;
  maxJsonBodyBytes: number;
}

/**
 * Reads a push upload: a `metadata` JSON field first, then one `file` part per file (the part's filename
 * is the file's path in the model), then the `digest` field with the root digest the client computed
 * while sending. Files are handed on as streams, never buffered.
 */
export async function readPushUpload(
  request: FastifyRequest,
  limits: PushLimitsHttp,
): Promise<{ metadata: Static<typeof PushMetadata>; source: PushSource }> {
  if (!request.isMultipart()) throw invalidMultipart('expected a multipart/form-data body');
  // Without a boundary, or with one longer than the parser's search allows, it throws a bare Error (a 500).
  const boundary = boundaryOf(String(request.headers['content-type']));
  if (!boundary) throw invalidMultipart('the content type names no boundary');
  if (boundary.length > maxBoundaryLength) {
    throw invalidMultipart(`the boundary is longer than ${maxBoundaryLength} characters (RFC 2046)`);
  }
  const parts = request.parts({
    limits: {
      // One byte over our own limit, so the blob store's precise error fires first.
      fileSize: limits.maxFileBytes + 1,
      files: limits.maxFilesPerVersion + 1,
      fields: 2,
      fieldSize: limits.maxJsonBodyBytes,
      headerPairs: 20,
    },
  });
  const iterator = parts[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.value as Multipart | undefined;
  if (first.done || !head || head.type !== 'field' || head.fieldname !== 'metadata') {
    throw invalidMultipart('the first part must be the "metadata" field (JSON)');
  }
  // The parser cuts a field at fieldSize; the truncated text would otherwise read as malformed JSON.
  if (head.valueTruncated) throw bodyTooLarge(limits.maxJsonBodyBytes);
  let metadata: unknown;
  try {
    metadata = JSON.parse(String(head.value));
  } catch {
    throw malformedJson();
  }
  const illFormed = findIllFormedText(metadata, 'metadata');
  if (illFormed !== null) throw textError('metadata', illFormed);
  if (!checkMetadata.Check(metadata)) {
    const base = invalidRequest('metadata');
    throw new AppError(base.code, base.kind, base.message, {
      errors: toFieldErrors(checkMetadata.Errors(metadata), 'metadata'),
    });
  }

  let expected: string | undefined;
  async function* files(): AsyncGenerator<IncomingFile> {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const part = next.value as Multipart;
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw invalidMultipart(`unexpected file part "${part.fieldname}"`);
        if (expected !== undefined) throw invalidMultipart('file parts must come before the "digest" field');
        // A part with a binary content type but no filename still arrives as a file, with no path.
        if (typeof part.filename !== 'string') {
          throw invalidMultipart('every "file" part needs a filename: the file\'s path in the model');
        }
        yield { path: part.filename, content: part.file };
      } else if (part.fieldname === 'digest' && expected === undefined) {
        const m = /^sha256:([0-9a-f]{64})$/.exec(String(part.value));
        if (!m?.[1]) throw invalidMultipart('the "digest" field must be sha256:<64 hex>');
        expected = m[1];
      } else {
        throw invalidMultipart(`unexpected field "${part.fieldname}"`);
      }
    }
  }
  return {
    metadata: metadata as Static<typeof PushMetadata>,
    source: {
      files: files(),
      // Required: the parser silently skips a part whose headers it cannot read, so only the client's own
      // root digest proves that every file it sent arrived.
      expectedDigest: () => {
        if (expected === undefined) {
          throw invalidMultipart(
            'the upload must end with the "digest" field: sha256:<root digest of the files sent>',
          );
        }
        return expected;
      },
    },
  };
}
