import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { readFixture, repoRoot } from '../helpers/fixtures';

// The GitHub Actions job the README offers, taken from the README itself: its `blueprint` steps run
// (with the built dist/cli.js for `npx blueprint-plans`) on a repository with two commits, and
// leave the files that its later steps read.

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { if?: string; permissions?: Record<string, string>; steps: Step[] }>;
}

const cli = path.join(repoRoot, 'dist', 'cli.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-ci-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function readmeWorkflow(): Workflow {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1]).filter((block) => /^jobs:/m.test(block));
  assert.equal(blocks.length, 1, 'one GitHub Actions workflow in the README');
  return parse(blocks[0]) as Workflow;
}

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.invalid' };
function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: gitEnv });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

/** Runs a step's script as GitHub's runner does (`bash -eo pipefail`), with `${{ … }}` in env resolved. */
function runStep(step: Step, cwd: string, expressions: Record<string, string>, githubOutput: string) {
  const env: Record<string, string> = { ...process.env, NO_COLOR: '', GITHUB_OUTPUT: githubOutput } as Record<string, string>;
  for (const [name, value] of Object.entries(step.env ?? {})) {
    env[name] = String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
      assert.ok(expression in expressions, `the test knows no value for \${{ ${expression} }}`);
      return expressions[expression];
    });
  }
  assert.ok(!step.run!.includes('${{'), `step "${step.name}" passes expressions through env, not into the script`);
  const script = step.run!.replace(/npx --yes blueprint-plans@\S+/g, `node ${JSON.stringify(cli)}`);
  assert.ok(script.includes(cli), `step "${step.name}" runs blueprint`);
  return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, encoding: 'utf8', env });
}

test('the README\'s GitHub Actions job: SARIF for code scanning, the plan diff as a pull-request comment', () => {
  const workflow = readmeWorkflow();
  assert.deepEqual(Object.keys(workflow.jobs), ['check', 'diff']);

  // A repository with a plan, then a commit that makes the first task two weeks longer.
  const repository = path.join(scratch, 'repo');
  fs.mkdirSync(path.join(repository, 'plans'), { recursive: true });
  const plan = readFixture('valid/checkout.plan.yaml');
  fs.writeFileSync(path.join(repository, 'plans', 'checkout.plan.yaml'), plan);
  fs.writeFileSync(path.join(repository, 'plans', 'platform.plan.yaml'), readFixture('rules/missing-owner.plan.yaml'));
  git(repository, 'init', '-q');
  git(repository, 'add', '.');
  git(repository, 'commit', '-q', '-m', 'plans');
  const base = git(repository, 'rev-parse', 'HEAD');
  const slipped = plan.replace('duration: 3w               # or end', 'duration: 5w               # or end');
  assert.notEqual(slipped, plan);
  fs.writeFileSync(path.join(repository, 'plans', 'checkout.plan.yaml'), slipped);
  git(repository, 'commit', '-q', '-am', 'payment API takes longer');
  const expressions = { 'github.event.pull_request.base.sha': base };

  // check: every step that runs blueprint succeeds (a warning is not an error), and the SARIF
  // file the upload step names is there.
  const check = workflow.jobs.check;
  assert.equal(check.permissions?.['security-events'], 'write');
  const checkOutput = path.join(scratch, 'check-output');
  const checkSteps = check.steps.filter((step) => step.run?.includes('blueprint-plans'));
  assert.equal(checkSteps.length, 1);
  for (const step of checkSteps) {
    const result = runStep(step, repository, expressions, checkOutput);
    assert.equal(result.status, 0, `${step.name}: ${result.stderr}`);
  }
  const upload = check.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
  assert.ok(upload, 'an upload-sarif step');
  assert.equal(upload.if, 'success() || failure()', 'the upload runs when the check fails too');
  const sarif = JSON.parse(fs.readFileSync(path.join(repository, String(upload.with?.sarif_file)), 'utf8')) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  assert.equal(sarif.version, '2.1.0');
  assert.deepEqual(
    sarif.runs[0].results.map((result) => [result.ruleId, result.locations[0].physicalLocation.artifactLocation.uri]),
    // The slip pushes the beta past its due and past its baseline: a warning and an info.
    [
      ['milestone-overrun', 'plans/checkout.plan.yaml'],
      ['baseline-variance', 'plans/checkout.plan.yaml'],
      ['missing-owner', 'plans/platform.plan.yaml'],
    ],
  );

  // diff: the plan diff against the base, and the output that lets the comment step run.
  const diff = workflow.jobs.diff;
  assert.equal(diff.if, "github.event_name == 'pull_request'");
  assert.equal(diff.permissions?.['pull-requests'], 'write');
  assert.equal(diff.steps.find((step) => step.uses?.startsWith('actions/checkout@'))?.with?.['fetch-depth'], 0, 'the base commit is fetched');
  const diffOutput = path.join(scratch, 'diff-output');
  const diffSteps = diff.steps.filter((step) => step.run?.includes('blueprint-plans'));
  assert.equal(diffSteps.length, 1);
  for (const step of diffSteps) {
    const result = runStep(step, repository, expressions, diffOutput);
    assert.equal(result.status, 0, `${step.name}: ${result.stderr}`);
  }
  const comment = diff.steps.find((step) => step.run?.startsWith('gh pr comment'));
  assert.ok(comment, 'a step that comments on the pull request');
  const bodyFile = /--body-file (\S+)/.exec(comment.run!)?.[1];
  assert.ok(bodyFile);
  const body = fs.readFileSync(path.join(repository, bodyFile), 'utf8');
  assert.ok(body.startsWith(`### plans/checkout.plan.yaml (${base} → working tree)\n`), body);
  assert.ok(body.includes('- Slipped: `rollout` now ends 2026-03-16 (was 2026-03-02, 14 days later)'), body);
  assert.ok(!body.includes('platform.plan.yaml'), 'only the plans that changed');
  const stepId = diffSteps[0].id;
  assert.ok(stepId && comment.if?.includes(`steps.${stepId}.outputs.changed == 'true'`), comment.if);
  assert.equal(fs.readFileSync(diffOutput, 'utf8'), 'changed=true\n');

  // A pull request that changes no plan: the diff step still succeeds, and no comment is due.
  git(repository, 'reset', '-q', '--hard', base);
  fs.writeFileSync(path.join(repository, 'README.md'), 'Not a plan.\n');
  git(repository, 'add', '.');
  git(repository, 'commit', '-q', '-m', 'docs');
  const quietOutput = path.join(scratch, 'quiet-output');
  fs.writeFileSync(quietOutput, '');
  const quiet = runStep(diffSteps[0], repository, expressions, quietOutput);
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.equal(fs.readFileSync(quietOutput, 'utf8'), '');
  assert.equal(fs.readFileSync(path.join(repository, bodyFile), 'utf8'), 'No plan files changed.\n');
});
