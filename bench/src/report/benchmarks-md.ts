/**
 * BENCHMARKS.md: one section per scenario between marker comments, replaced in place when the
 * scenario runs again and appended otherwise, so sections of other scenarios are left alone.
 */

import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const HEADER = [
  '# Benchmarks',
  '',
  'Written by `pnpm bench` (`bench/src/main.ts`); each section is replaced when its scenario runs again.',
  'Benchmarks are not tests: targets are printed beside the figures, never asserted. CI runs only',
  '`pnpm bench --smoke` (tiny sizes, nothing recorded) and the scenarios’ smoke tests.',
  '',
].join('\n');

const begin = (name: string) => `<!-- bench:${name}:begin -->`;
const end = (name: string) => `<!-- bench:${name}:end -->`;

/** Replaces (or appends) the section of scenario `name` in `file` with `body` (Markdown). */
export function writeSection(file: string, name: string, body: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const section = `${begin(name)}\n${body.trim()}\n${end(name)}`;
  const from = current.indexOf(begin(name));
  const to = current.indexOf(end(name));
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${section}${current.slice(to + end(name).length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
