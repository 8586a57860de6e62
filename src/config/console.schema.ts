import Type from 'typebox';

/** The web console's sign-in: browser sessions, and signing in with the `oidc` issuer. */
export const ConsoleSchema = Type.Object(
  {
    session: Type.Object(
      {
        idleMinutes: Type.Integer({
          minimum: 1,
          maximum: 1440,
          description: 'A console session unused for this many minutes ends.',
        }),
        absoluteHours: Type.Integer({
          minimum: 1,
          maximum: 720,
          description: 'A console session ends this many hours after sign-in, however much it is used.',
        }),
      },
      { additionalProperties: false },
    ),
    oidc: Type.Union(
      [
        Type.Object(
          {
            clientId: Type.String({
              minLength: 1,
              maxLength: 255,
              description: "The console's client id at the `oidc` issuer.",
            }),
            clientSecret: Type.Optional(
              Type.String({
                minLength: 1,
                description:
                  'The client secret, from WARDEN_CONSOLE_OIDC_CLIENT_SECRET only (refused in the config file and as a flag); never logged. Unset with no file: a public client (PKCE alone).',
              }),
            ),
            clientSecretFile: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 4096,
                description: 'A file holding the client secret (one trailing newline is dropped).',
              }),
            ),
            redirectUri: Type.String({
              minLength: 1,
              maxLength: 2048,
              description:
                'The full URL of /api/v1/session/oidc/callback as the browser reaches it (https; http only on loopback), registered at the issuer.',
            }),
            scopes: Type.Optional(
              Type.Array(Type.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}$' }), {
                minItems: 1,
                maxItems: 32,
                uniqueItems: true,
                description:
                  'Scopes asked for at sign-in (comma-separated in the variable); must include openid. Unset: openid, profile, email.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ],
      {
        description:
          'Sign in to the console with the `oidc` issuer (authorization code + PKCE); null offers token sign-in only.',
      },
    ),
  },
  { additionalProperties: false },
);

export const consoleDefaults = {
  session: { idleMinutes: 30, absoluteHours: 12 },
  oidc: null,
};

export const defaultConsoleScopes = ['openid', 'profile', 'email'] as const;
