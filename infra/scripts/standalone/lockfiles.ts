// Writes each repository's own package-lock.json, the one its `npm ci` (CI, Dockerfile) installs from.
// Run it after changing any package.json:  npm run lockfiles [-- --only <folder>]...
//
// The workspace packages (shop-sdk, sandboxes, gateway) are not on npm yet, so npm resolves them from
// tarballs packed here; their lock entries are then written as the registry will serve them
// (registry URL; the registry's integrity once that version is published). Everything else is
// resolved from npm, keeping what the existing lock pins.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { localDependencies, packLocalPackages, type PackedPackage, reposByName } from './local-packages.js';
import {
  entriesOf,
  pointAtTarballs,
  readLockfile,
  registryTarballUrl,
  rootEntryFields,
  writeLockfile,
} from './lockfile.js';
import { type Manifest, REPO_DIRS, REPOS_ROOT } from './repos.js';

const run = promisify(execFile);

/** The published tarball's integrity, or null while that version is not on npm. */
async function publishedIntegrity(name: string, version: string): Promise<string | null> {
  try {
    const { stdout } = await run('npm', ['view', `${name}@${version}`, 'dist.integrity']);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

function withTarballSpecs(manifest: Manifest, packed: Map<string, PackedPackage>): Manifest {
  const rewrite = (deps?: Record<string, string>) =>
    deps &&
    Object.fromEntries(
      Object.entries(deps).map(([name, spec]) => [
        name,
        packed.has(name) ? `file:${packed.get(name)!.tarball}` : spec,
      ]),
    );
  return {
    ...manifest,
    dependencies: rewrite(manifest.dependencies),
    devDependencies: rewrite(manifest.devDependencies),
    optionalDependencies: rewrite(manifest.optionalDependencies),
  };
}

async function writeRepoLockfile(
  dir: string,
  packedAll: Map<string, PackedPackage>,
  work: string,
): Promise<void> {
  const repos = await reposByName();
  const repo = [...repos.values()].find((candidate) => candidate.dir === dir)!;
  const packed = new Map(
    localDependencies(repo.manifest, repos).map((dep) => [
      dep.manifest.name,
      packedAll.get(dep.manifest.name)!,
    ]),
  );
  const scratch = path.join(work, dir.replaceAll('/', '-'));
  await mkdir(scratch, { recursive: true });
  await writeFile(
    path.join(scratch, 'package.json'),
    `${JSON.stringify(withTarballSpecs(repo.manifest, packed), null, 2)}\n`,
  );
  const existing = await readLockfile(path.join(REPOS_ROOT, dir)).catch(() => null);
  if (existing) {
    try {
      pointAtTarballs(existing, packed, dir);
      await writeLockfile(scratch, existing);
    } catch {
      // A workspace package changed version or dependencies: npm resolves that part again.
      await copyFile(
        path.join(REPOS_ROOT, dir, 'package-lock.json'),
        path.join(scratch, 'package-lock.json'),
      );
    }
  }
  await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: scratch,
    maxBuffer: 64 * 1024 * 1024,
  });

  const lockfile = await readLockfile(scratch);
  lockfile.packages[''] = { ...lockfile.packages[''], ...rootEntryFields(repo.manifest) };
  for (const { name, manifest } of packed.values()) {
    const integrity = await publishedIntegrity(name, manifest.version);
    for (const [, entry] of entriesOf(lockfile, name)) {
      entry.resolved = registryTarballUrl(name, manifest.version);
      if (integrity) entry.integrity = integrity;
      else delete entry.integrity;
    }
  }
  await writeLockfile(path.join(REPOS_ROOT, dir), lockfile);
  console.log(`${dir}/package-lock.json written`);
}

const { values } = parseArgs({ options: { only: { type: 'string', multiple: true } } });
const dirs = REPO_DIRS.filter((dir) => !values.only || values.only.includes(dir));
const work = await mkdtemp(path.join(os.tmpdir(), 'lockfiles-'));
try {
  const repos = await reposByName();
  const toPack = [
    ...new Set(
      dirs.flatMap((dir) =>
        localDependencies([...repos.values()].find((r) => r.dir === dir)!.manifest, repos),
      ),
    ),
  ];
  const packed = await packLocalPackages(toPack, work);
  for (const dir of dirs) await writeRepoLockfile(dir, packed, work);
} finally {
  await rm(work, { recursive: true, force: true });
}
