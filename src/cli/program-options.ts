import type { Command } from 'commander';

/** Collects a repeatable option's values. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];
export const withClient = (cmd: Command) =>
  cmd
    .option(
      '--url <url>',
      'Warden server URL (env WARDEN_URL, else the saved login; default http://127.0.0.1:8080)',
    )
    .option('--token <token>', 'API token or OIDC JWT (env WARDEN_TOKEN, else the saved login)')
    .option('--json', 'machine-readable JSON output on stdout');
