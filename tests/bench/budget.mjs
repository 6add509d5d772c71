// budget.toml, read without a TOML dependency: `[table]` headers and
// `key = number` lines are all it holds.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUDGET_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../budget.toml');

export function parseBudget(text) {
  const out = {};
  let table = out;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const header = line.match(/^\[([\w.-]+)\]$/);
    if (header) {
      table = out[header[1]] = {};
      continue;
    }
    const kv = line.match(/^([\w-]+)\s*=\s*([\d_.]+)$/);
    if (!kv) throw new Error(`budget.toml: cannot read "${raw}"`);
    table[kv[1]] = Number(kv[2].replaceAll('_', ''));
  }
  return out;
}

export function readBudget(file = BUDGET_FILE) {
  return parseBudget(fs.readFileSync(file, 'utf8'));
}
