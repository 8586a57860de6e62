// After a run whose test worker died (Node 20's V8 has crashed a fork with a fatal "unreachable code" in
// its deoptimizer, on different files each time): vitest reports the dead file as passed with its tests
// pending. `list REPORT` prints those files; `merge REPORT RERUN` puts the rerun's results in their place
// and recounts, so the final line counts every test once.
import { readFileSync, writeFileSync } from 'node:fs';

const [mode, reportPath, rerunPath] = process.argv.slice(2);
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const interrupted = (file) =>
  file.status !== 'failed' &&
  file.assertionResults.some((a) => a.status === 'pending' || a.status === 'todo');

if (mode === 'list') {
  if (report.numFailedTests === 0)
    console.log(
      report.testResults
        .filter(interrupted)
        .map((f) => f.name)
        .join('\n'),
    );
} else if (mode === 'merge') {
  const rerun = JSON.parse(readFileSync(rerunPath, 'utf8'));
  const again = new Map(rerun.testResults.map((f) => [f.name, f]));
  report.testResults = report.testResults.map((f) => again.get(f.name) ?? f);
  const all = report.testResults.flatMap((f) => f.assertionResults);
  const count = (status) => all.filter((a) => a.status === status).length;
  report.numPassedTests = count('passed');
  report.numFailedTests = count('failed');
  report.numPendingTests = count('pending') + count('skipped');
  report.numTodoTests = count('todo');
  report.numTotalTests = all.length;
  report.rerunAfterWorkerCrash = [...again.keys()];
  writeFileSync(reportPath, JSON.stringify(report));
}
