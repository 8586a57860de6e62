/** One validation problem, as problem+json lists them: where, and what is wrong. */
export interface FieldError {
  path: string;
  message: string;
}

interface SchemaError {
  keyword?: string;
  schemaPath?: string;
  instancePath?: string;
  message?: string;
}

/**
 * Flattens schema-validator errors (TypeBox/ajv shape) into field errors. An unknown field is reported once,
 * at its own path, rather than as the validator's pair of "schema is false" and "additional properties".
 */
export function toFieldErrors(errors: readonly unknown[], prefix: string): FieldError[] {
  const out: FieldError[] = [];
  for (const raw of errors) {
    const e = raw as SchemaError;
    if (e.keyword === 'additionalProperties') continue;
    const path = `${prefix}${e.instancePath ?? ''}`;
    const unknown = e.keyword === 'boolean' && e.schemaPath?.endsWith('/additionalProperties');
    out.push({ path, message: unknown ? 'unknown field' : (e.message ?? 'is invalid') });
  }
  return out;
}
