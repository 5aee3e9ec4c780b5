// Packages of this workspace that are not on npm yet: packed here, installed from the tarball.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { dependencyNames, type Manifest, readRepo, REPO_DIRS, REPOS_ROOT, type Repo } from './repos.js';

const run = promisify(execFile);

export interface PackedPackage {
  name: string;
  manifest: Manifest;
  tarball: string;
  /** sha512 Subresource Integrity, as npm records it in a lockfile. */
  integrity: string;
}

/** The workspace's repositories by package name. */
export async function reposByName(root = REPOS_ROOT): Promise<Map<string, Repo>> {
  const repos = await Promise.all(REPO_DIRS.map((dir) => readRepo(dir, root)));
  return new Map(repos.map((repo) => [repo.manifest.name, repo]));
}

/** The workspace packages `manifest` needs, its own and theirs, dependencies first. */
export function localDependencies(manifest: Manifest, repos: Map<string, Repo>): Repo[] {
  const found: Repo[] = [];
  const visit = (from: Manifest) => {
    for (const name of dependencyNames(from)) {
      const repo = repos.get(name);
      if (!repo || found.includes(repo)) continue;
      visit(repo.manifest);
      found.push(repo);
    }
  };
  visit(manifest);
  return found;
}

export async function integrityOf(file: string): Promise<string> {
  return `sha512-${createHash('sha512')
    .update(await readFile(file))
    .digest('base64')}`;
}

/** `npm pack` of a workspace package into `destination` (its prepack builds it). */
export async function packPackage(
  repo: Repo,
  destination: string,
  root = REPOS_ROOT,
): Promise<PackedPackage> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: path.join(root, repo.dir),
    maxBuffer: 64 * 1024 * 1024,
  });
  // prepack's own output comes before npm's JSON.
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('\n[') + 1)) as [{ filename: string }];
  const tarball = path.join(destination, packed.filename);
  return {
    name: repo.manifest.name,
    manifest: repo.manifest,
    tarball,
    integrity: await integrityOf(tarball),
  };
}

/** Packs each package once, in order: every repository of a run installs the same bytes. */
export async function packLocalPackages(
  repos: Repo[],
  destination: string,
  root = REPOS_ROOT,
): Promise<Map<string, PackedPackage>> {
  const packed = new Map<string, PackedPackage>();
  for (const repo of repos) packed.set(repo.manifest.name, await packPackage(repo, destination, root));
  return packed;
}
