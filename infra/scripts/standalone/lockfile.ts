// A repository's package-lock.json and the workspace packages in it.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PackedPackage } from './local-packages.js';
import type { Manifest } from './repos.js';

export interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  [field: string]: unknown;
}

export interface Lockfile {
  packages: Record<string, LockEntry>;
  [field: string]: unknown;
}

export async function readLockfile(dir: string): Promise<Lockfile> {
  return JSON.parse(await readFile(path.join(dir, 'package-lock.json'), 'utf8')) as Lockfile;
}

export async function writeLockfile(dir: string, lockfile: Lockfile): Promise<void> {
  await writeFile(path.join(dir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
}

/** Lock entries installing `name` (`node_modules/<name>`, nested or not), with their keys. */
export function entriesOf(lockfile: Lockfile, name: string): [string, LockEntry][] {
  return Object.entries(lockfile.packages).filter(
    ([key]) => key === `node_modules/${name}` || key.endsWith(`/node_modules/${name}`),
  );
}

/** Where npm would fetch the published tarball of `name@version`. */
export function registryTarballUrl(name: string, version: string): string {
  const basename = name.split('/').pop()!;
  return `https://registry.npmjs.org/${name}/-/${basename}-${version}.tgz`;
}

function sameDependencies(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * Points the lock's entries of the workspace packages at their freshly packed tarballs, so `npm ci`
 * installs them from there and everything else as pinned. Refuses a lock that no longer describes the
 * package (another version, other dependencies): `npm run lockfiles` regenerates it.
 */
export function pointAtTarballs(
  lockfile: Lockfile,
  packed: Map<string, PackedPackage>,
  lockDir: string,
): void {
  for (const { name, manifest, tarball, integrity } of packed.values()) {
    for (const [key, entry] of entriesOf(lockfile, name)) {
      if (entry.version !== manifest.version || !sameDependencies(entry.dependencies, manifest.dependencies))
        throw new Error(
          `${lockDir}/package-lock.json: ${key} is not ${name}@${manifest.version} with today's dependencies; run \`npm run lockfiles\``,
        );
      entry.resolved = `file:${tarball}`;
      entry.integrity = integrity;
    }
  }
}

/** The dependency fields that npm copies from package.json into the lock's root entry. */
export function rootEntryFields(manifest: Manifest): Partial<Manifest> {
  const { dependencies, devDependencies, optionalDependencies, peerDependencies } = manifest;
  return { dependencies, devDependencies, optionalDependencies, peerDependencies };
}
