// Bundles the public entry as a browser would get it. Any Node built-in in its graph fails the build
// (esbuild cannot resolve `node:*` for the browser platform), so the check runs in lint. It also writes
// the bundles apps without a bundler load: dist/browser/shop-sdk.js (ESM) and shop-sdk.iife.js
// (global `EscalableShop`), and prints the minified+gzipped size against the 15 KB goal.
import { mkdir, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import process from 'node:process';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const GOAL_BYTES = 15 * 1024;
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

async function bundle(format) {
  const result = await build({
    entryPoints: ['dist/index.js'],
    bundle: true,
    platform: 'browser',
    format,
    globalName: format === 'iife' ? 'EscalableShop' : undefined,
    minify: true,
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const imported = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
  const builtins = imported.filter((path) => nodeBuiltins.has(path));
  if (builtins.length > 0) throw new Error(`the public entry imports Node built-ins: ${builtins.join(', ')}`);
  return result.outputFiles[0].contents;
}

try {
  const [esm, iife] = await Promise.all([bundle('esm'), bundle('iife')]);
  await mkdir('dist/browser', { recursive: true });
  await writeFile('dist/browser/shop-sdk.js', esm);
  await writeFile('dist/browser/shop-sdk.iife.js', iife);
  const gzipped = gzipSync(esm).length;
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  process.stdout.write(
    `browser bundle: ${kb(esm.length)} minified, ${kb(gzipped)} gzipped (goal < ${kb(GOAL_BYTES)}), no Node built-ins\n`,
  );
  if (gzipped > GOAL_BYTES) process.exitCode = 1;
} catch (error) {
  const messages = error.errors?.map((e) => `${e.location?.file ?? ''}: ${e.text}`) ?? [error.message];
  process.stderr.write(`browser bundle failed:\n  ${messages.join('\n  ')}\n`);
  process.exitCode = 1;
}
