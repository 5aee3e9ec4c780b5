// Renders an overlay the way ops do (`kubectl kustomize`, or a standalone `kustomize build`).
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { access, copyFile, cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { renderGatewayConf } from './gateway-conf.js';
import type { Manifest } from './manifest-rules.js';

/** infra/k8s: base/ and overlays/. */
export const K8S_DIR = path.resolve(import.meta.dirname, '../../k8s');

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The overlays' names (dev, prod). */
export async function overlayNames(k8sDir = K8S_DIR): Promise<string[]> {
  const entries = await readdir(path.join(k8sDir, 'overlays'), { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

/** The overlay's objects as `kustomize build` renders them. */
export async function kustomizeBuild(dir: string): Promise<Manifest[]> {
  const command = onPath('kustomize')
    ? ['kustomize', 'build']
    : onPath('kubectl')
      ? ['kubectl', 'kustomize']
      : null;
  if (!command)
    throw new Error(
      'neither kustomize nor kubectl is on PATH: install kubectl 1.27+ (kustomize v5 built in) or kustomize 5',
    );
  const [file, ...args] = command as [string, ...string[]];
  const { stdout } = await promisify(execFile)(file, [...args, dir], { maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(stdout)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Source files under infra/k8s that name a `:latest` tag, even one an overlay would override. */
export async function sourcesNamingLatest(k8sDir = K8S_DIR): Promise<string[]> {
  const files = await readdir(k8sDir, { recursive: true, withFileTypes: true });
  const named: string[] = [];
  for (const file of files.filter((entry) => entry.isFile())) {
    const full = path.join(file.parentPath, file.name);
    if (/:latest\b/.test(await readFile(full, 'utf8'))) named.push(path.relative(k8sDir, full));
  }
  return named;
}

/**
 * A throwaway copy of infra/k8s that renders without anyone's secrets: each missing secret file is
 * taken from its committed `.example`, and the gateway's nginx files are rendered into every
 * overlay. The caller removes it.
 */
export async function renderableCopy(k8sDir = K8S_DIR): Promise<string> {
  const copy = await mkdtemp(path.join(os.tmpdir(), 'k8s-check-'));
  await cp(k8sDir, copy, { recursive: true });
  const files = await readdir(copy, { recursive: true });
  for (const example of files.filter((file) => file.endsWith('.example'))) {
    const target = path.join(copy, example.slice(0, -'.example'.length));
    if (!(await exists(target))) await copyFile(path.join(copy, example), target);
  }
  for (const overlay of await overlayNames(copy))
    await renderGatewayConf(path.join(copy, 'overlays', overlay));
  return copy;
}

export async function removeCopy(copy: string): Promise<void> {
  await rm(copy, { recursive: true, force: true });
}
