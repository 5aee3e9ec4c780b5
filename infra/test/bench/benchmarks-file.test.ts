import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeSection } from '../../bench/benchmarks-file.js';

describe('BENCHMARKS.md sections written by npm run bench', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'benchmarks-file-'));
    file = path.join(dir, 'BENCHMARKS.md');
    await writeFile(
      file,
      [
        '# Benchmarks',
        '',
        '<!-- bench:catalog:start -->',
        '',
        '## Catalog',
        '',
        'first catalog figures',
        '',
        '<!-- bench:catalog:end -->',
        '',
        '## Hand-recorded history',
        '',
        'old figures',
        '',
      ].join('\n'),
    );
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('When a new section is written and the catalog is run again, then both are kept, in run order, above the history', async () => {
    // Arrange
    await writeSection('checkout', '## Checkout\n\ncheckout figures', file);

    // Act
    await writeSection('catalog', '## Catalog\n\nsecond catalog figures', file);

    // Assert
    const text = await readFile(file, 'utf8');
    const order = ['second catalog figures', 'checkout figures', 'old figures'].map((part) =>
      text.indexOf(part),
    );
    expect(
      order.every((at) => at !== -1),
      text,
    ).to.equal(true);
    expect(order, text).to.deep.equal([...order].sort((a, b) => a - b));
    expect(text).not.to.contain('first catalog figures');
  });

  it('When a section is written again, then its figures are replaced and nothing else changes', async () => {
    // Arrange
    await writeSection('checkout', '## Checkout\n\nfirst checkout', file);
    const before = await readFile(file, 'utf8');

    // Act
    await writeSection('checkout', '## Checkout\n\nsecond checkout', file);

    // Assert
    expect(await readFile(file, 'utf8')).to.equal(before.replace('first checkout', 'second checkout'));
  });
});
