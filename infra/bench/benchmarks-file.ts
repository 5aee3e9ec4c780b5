import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const BENCHMARKS_FILE = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

/**
 * Puts `markdown` between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`, so a rerun replaces
 * its own figures; a section not there yet goes after the last one written (so a full run keeps its
 * order), or above the first hand-written section, which stay below as history.
 */
export async function writeSection(name: string, markdown: string, file = BENCHMARKS_FILE): Promise<void> {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n\n${markdown.trim()}\n\n${end}`;
  const text = await readFile(file, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  let updated: string;
  const lastEnd = [...text.matchAll(/^<!-- bench:[\w-]+:end -->$/gm)].at(-1);
  if (from !== -1 && to > from) {
    updated = text.slice(0, from) + block + text.slice(to + end.length);
  } else if (lastEnd) {
    const at = lastEnd.index + lastEnd[0].length;
    updated = `${text.slice(0, at)}\n\n${block}${text.slice(at)}`;
  } else {
    const firstSection = text.search(/^## /m);
    const at = firstSection === -1 ? text.length : firstSection;
    updated = `${text.slice(0, at)}${block}\n\n${text.slice(at)}`;
  }
  await writeFile(file, updated);
}
