#!/usr/bin/env node
// Not the config barrel: it loads the TypeBox schema, which costs start-up time on every command.
import { processEnvironment } from '../config/client-config.js';
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: processEnvironment(),
  io: { stdout: process.stdout, stderr: process.stderr },
  stdin: process.stdin,
});
process.exitCode = code;
