// The repositories this workspace gathers, each read from its own folder as its own checkout would be.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The folder holding every repository side by side (the workspace root, or the sibling checkouts in CI). */
export const REPOS_ROOT = path.resolve(import.meta.dirname, '../../..');

/** Folders in dependency order: a repository comes after the ones it installs from a tarball. */
export const REPO_DIRS = [
  'shop-sdk',
  'infra/sandboxes',
  'gateway',
  'user-service',
  'product-service',
  'cart-service',
  'order-service',
  'notification-service',
  'payment-service',
  'infra',
] as const;

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export interface Repo {
  dir: string;
  manifest: Manifest;
  /** A service ships as an image, so its production tree is checked. */
  isService: boolean;
}

export async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

export async function readRepo(dir: string, root = REPOS_ROOT): Promise<Repo> {
  const absolute = path.join(root, dir);
  return {
    dir,
    manifest: await readManifest(absolute),
    isService: existsSync(path.join(absolute, 'Dockerfile')),
  };
}

/** Every package the repository depends on, whatever the kind of dependency. */
export function dependencyNames(manifest: Manifest): string[] {
  return [
    ...new Set(
      [manifest.dependencies, manifest.devDependencies, manifest.optionalDependencies].flatMap((deps) =>
        Object.keys(deps ?? {}),
      ),
    ),
  ];
}
