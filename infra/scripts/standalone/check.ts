// Each repository on its own, as its team and CI have it: copied alone into an empty folder, the
// workspace packages it needs installed from `npm pack` tarballs, then `npm ci`, lint, typecheck, tests,
// `changeset version` on its own, and for a service the production tree that its image installs.
//
//   npm run standalone -- [--only <folder>]... [--tests all|none|<folder>,...] [--keep]
import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { localDependencies, packLocalPackages, reposByName } from './local-packages.js';
import { pointAtTarballs, readLockfile, writeLockfile } from './lockfile.js';
import { testOnlyPackagesInProdTree } from './prod-tree.js';
import { REPO_DIRS, REPOS_ROOT, type Repo } from './repos.js';

/** Whose tests run by default: the kit and one service keep a full run near ten minutes on 2 cores. */
const DEFAULT_TESTS = ['shop-sdk', 'cart-service'];
/** infra's tests are the end-to-end suite over fixed ports; `npm test` at the root runs it. */
const NEVER_TESTED = new Set(['infra']);
/** What a clone would not hold (each repository's .gitignore). */
const UNTRACKED = new Set(['node_modules', 'dist', '.data', '.tmp', 'coverage', '.env']);

/** npm's own variables from the root `npm run` would point the child npm at the workspace. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
  );
}

async function runLogged(command: string, args: string[], cwd: string, log: string): Promise<number> {
  // The log file itself is the child's stdout and stderr: through a pipe (a socket in Node), tools
  // that open /dev/stdout, as nginx -t does, fail.
  const out = await open(log, 'w');
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd, env: cleanEnv(), stdio: ['ignore', out.fd, out.fd] });
      child.on('error', reject);
      child.on('close', (code) => resolve(code ?? 1));
    });
  } finally {
    await out.close();
  }
}

/** The lines that say what failed: npm's own error comes first (its usage text follows), a tool's last. */
async function excerpt(log: string, from: 'start' | 'end', lines = 40): Promise<string> {
  const all = (await readFile(log, 'utf8')).trimEnd().split('\n');
  return (from === 'start' ? all.slice(0, lines) : all.slice(-lines)).join('\n');
}

/**
 * `changeset version` in the copy: the repository's changesets config works on its own and bumps this
 * package (a copy holds no other package to bump).
 */
async function versionsAlone(copy: string, repo: Repo, logs: string): Promise<string | null> {
  await writeFile(
    path.join(copy, '.changeset', 'standalone-check.md'),
    `---\n'${repo.manifest.name}': patch\n---\n\nStandalone check.\n`,
  );
  const log = path.join(logs, `${repo.dir.replaceAll('/', '-')}-changeset.log`);
  const code = await runLogged('npx', ['changeset', 'version'], copy, log);
  if (code !== 0) return `changeset version: exit ${code}; end of ${log}:\n${await excerpt(log, 'end')}`;
  const { version } = JSON.parse(await readFile(path.join(copy, 'package.json'), 'utf8')) as {
    version: string;
  };
  return version === repo.manifest.version
    ? `changeset version left ${repo.manifest.name} at ${version}`
    : null;
}

interface StepResult {
  step: string;
  ok: boolean;
  seconds: number;
}

async function checkRepo(
  repo: Repo,
  work: string,
  packed: Awaited<ReturnType<typeof packLocalPackages>>,
  runTests: boolean,
): Promise<StepResult[]> {
  const copy = path.join(work, repo.dir.replaceAll('/', '-'));
  const logs = path.join(work, 'logs');
  const results: StepResult[] = [];
  const step = async (name: string, action: () => Promise<string | null>) => {
    const started = performance.now();
    let failure: string | null;
    try {
      failure = await action();
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    results.push({ step: name, ok: failure === null, seconds });
    console.log(`  ${failure === null ? 'ok  ' : 'FAIL'} ${name} (${seconds} s)`);
    if (failure !== null) console.log(failure.replace(/^/gm, '       '));
    return failure === null;
  };
  const npm = (name: string, args: string[]) =>
    step(name, async () => {
      const log = path.join(logs, `${repo.dir.replaceAll('/', '-')}-${name}.log`);
      const code = await runLogged('npm', args, copy, log);
      const from = args[0] === 'ci' ? 'start' : 'end';
      return code === 0
        ? null
        : `exit ${code}; ${from} of ${log}:\n${await excerpt(log, from, from === 'start' ? 12 : 40)}`;
    });

  console.log(`${repo.dir} (${repo.manifest.name})`);
  const installed =
    (await step('copy alone', async () => {
      await cp(path.join(REPOS_ROOT, repo.dir), copy, {
        recursive: true,
        filter: (source) => !UNTRACKED.has(path.basename(source)) && !source.endsWith('.tgz'),
      });
      const needed = new Map(
        localDependencies(repo.manifest, await reposByName()).map((dep) => [
          dep.manifest.name,
          packed.get(dep.manifest.name)!,
        ]),
      );
      const lockfile = await readLockfile(copy).catch(() => null);
      if (!lockfile) return `${repo.dir} has no package-lock.json; run \`npm run lockfiles\``;
      pointAtTarballs(lockfile, needed, repo.dir);
      await writeLockfile(copy, lockfile);
      return null;
    })) && (await npm('npm ci', ['ci', '--no-audit', '--no-fund']));
  if (!installed) return results;
  await npm('lint', ['run', 'lint']);
  await npm('typecheck', ['run', 'typecheck']);
  if (runTests) await npm('test', ['test']);
  await step('versions alone', () => versionsAlone(copy, repo, logs));
  if (repo.isService)
    await step('production tree', async () => {
      const found = await testOnlyPackagesInProdTree(copy);
      return found.length === 0
        ? null
        : `npm ls --omit=dev keeps test-only packages:\n${found.map((p) => p.path.join(' > ')).join('\n')}`;
    });
  return results;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      tests: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const only = values.only ?? [...REPO_DIRS];
  const unknown = only.filter((dir) => !(REPO_DIRS as readonly string[]).includes(dir));
  if (unknown.length > 0)
    throw new Error(`unknown folder ${unknown.join(', ')}; one of ${REPO_DIRS.join(', ')}`);
  const tested =
    values.tests === 'all'
      ? new Set<string>(REPO_DIRS)
      : values.tests === 'none'
        ? new Set<string>()
        : new Set(values.tests?.split(',') ?? DEFAULT_TESTS);

  const work = await mkdtemp(path.join(os.tmpdir(), 'standalone-'));
  // As root, the tests' embedded PostgreSQL runs as a user of its own, which must reach the binaries
  // under the copies (mkdtemp makes the folder private).
  await chmod(work, 0o755);
  await mkdir(path.join(work, 'logs'));
  const started = performance.now();
  const failed: string[] = [];
  try {
    const repos = await reposByName();
    const selected = REPO_DIRS.filter((dir) => only.includes(dir)).map((dir) =>
      [...repos.values()].find((repo) => repo.dir === dir)!,
    );
    const toPack = [...new Set(selected.flatMap((repo) => localDependencies(repo.manifest, repos)))];
    console.log(`packing ${toPack.map((repo) => repo.manifest.name).join(', ') || 'nothing'} into ${work}`);
    const packed = await packLocalPackages(toPack, work);
    for (const repo of selected) {
      const results = await checkRepo(
        repo,
        work,
        packed,
        tested.has(repo.dir) && !NEVER_TESTED.has(repo.dir),
      );
      if (results.some((result) => !result.ok)) failed.push(repo.dir);
    }
  } finally {
    if (!values.keep) await rm(work, { recursive: true, force: true });
  }
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  console.log(
    failed.length === 0
      ? `standalone: ${only.length} repositories stand alone (${minutes} min)`
      : `standalone: ${failed.join(', ')} do not stand alone (${minutes} min)`,
  );
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
