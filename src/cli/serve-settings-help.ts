import { configReference } from '../config/config-reference.js';

/** `warden serve` flags, by the setting each one sets. */
export const serveFlags: Readonly<Record<string, string>> = {
  host: '--host',
  port: '--port',
  dataDir: '--data-dir',
  databaseUrl: '--database-url',
  logLevel: '--log-level',
};

/**
 * The "Settings" part of `warden serve --help`, generated from the config schema so that it lists every
 * setting, with its variable, flag and default, whatever the schema gains.
 */
export function serveSettingsHelp(): string {
  const lines = [
    '',
    'Settings (every one in the JSON config file, nested as its key says; most by a WARDEN_* variable or a',
    'flag too). Precedence: flag > variable > config file > default. Sizes take units: 512MiB, 2GB.',
  ];
  for (const setting of configReference()) {
    if (setting.groupNote) lines.push('', `  ${setting.key.split('.')[0]}: ${setting.groupNote}`);
    const where = [serveFlags[setting.key], setting.env ?? 'config file only'].filter(Boolean).join(', ');
    const required = setting.requiredInGroup ? '; required in its group' : '';
    lines.push(`  ${setting.key}  (${where}; default: ${setting.defaultValue}${required})`);
    if (setting.description) lines.push(`      ${setting.description}`);
  }
  return `${lines.join('\n')}\n`;
}
