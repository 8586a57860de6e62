import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiTypesFile, generateApiTypes } from '../../web/scripts/api-types.js';

describe("the console's typed API client", () => {
  it("is generated from the server's current OpenAPI document (run `npm run api:types` after changing a route)", async () => {
    const committed = readFileSync(apiTypesFile, 'utf8');
    const generated = await generateApiTypes();
    expect(committed === generated, 'web/src/api/schema.d.ts is stale: run `npm run api:types`').toBe(true);
  });
});
