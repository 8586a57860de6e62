#!/usr/bin/env node
import { processEnvironment } from '../config/index.js';
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: processEnvironment(),
  io: { stdout: process.stdout, stderr: process.stderr },
});
process.exitCode = code;
