import { MAX_INVALID_PARAMS, problems, type InvalidParam } from '../problem.js';

export type InputPart = 'body' | 'query' | 'params' | 'header';

/** Deeper than any shape the shop accepts; JSON nested further is refused before anything walks it. */
export const MAX_INPUT_DEPTH = 32;

/**
 * More entries than any list or object the shop accepts. A schema spends time on every failing entry
 * (zod takes about half a second for 100 000), so larger ones are refused before a schema sees them.
 */
export const MAX_INPUT_ENTRIES = 1000;

// PostgreSQL refuses NUL in text and jsonb, and the other C0 controls are never part of a name, an
// address or a description a person typed; tab, line feed and carriage return are.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

type Path = ReadonlyArray<PropertyKey>;

/** Why a string cannot be stored as text: PostgreSQL refuses these, or silently replaces them. */
function faultOfText(text: string): string | undefined {
  if (CONTROL_CHARACTER.test(text)) return 'must not contain control characters';
  if (!text.isWellFormed()) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

function faultOfKey(key: string): string | undefined {
  // JSON.parse keeps `__proto__` as an own key, but any object it is copied into (zod's records do)
  // takes it as the prototype: the field vanishes and its value escapes validation.
  if (key === '__proto__') return 'is not an accepted key';
  return faultOfText(key);
}

export function nameOf(path: Path): string {
  return path.map(String).join('.') || '(root)';
}

/**
 * Checks a parsed JSON value (or query object) before any schema reads it: no nesting deeper than
 * {@link MAX_INPUT_DEPTH}, no list or object over {@link MAX_INPUT_ENTRIES} entries, no control
 * characters or unpaired surrogates in strings and keys, no `__proto__` keys. The walk keeps its own
 * stack, so no input can exhaust the call stack, and stops once it has found more than
 * {@link MAX_INVALID_PARAMS} faults, so a hostile body costs one bounded pass.
 * Throws a 400 validation Problem naming where each fault is.
 */
export function assertAcceptableInput(value: unknown, part: InputPart, prefix: Path = []): void {
  const faults: InvalidParam[] = [];
  const pending: Array<{ value: unknown; path: Path; keyFault?: string }> = [{ value, path: prefix }];
  while (pending.length > 0 && faults.length <= MAX_INVALID_PARAMS) {
    const { value: item, path, keyFault } = pending.pop()!;
    const fault =
      keyFault ??
      (typeof item === 'string' ? faultOfText(item) : undefined) ??
      (item !== null && typeof item === 'object' && path.length - prefix.length >= MAX_INPUT_DEPTH
        ? `must not nest deeper than ${MAX_INPUT_DEPTH} levels`
        : undefined);
    if (fault) {
      faults.push({ in: part, name: nameOf(path), reason: fault });
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    const entries: Array<[PropertyKey, unknown]> = Array.isArray(item)
      ? item.map((element, index) => [index, element])
      : Object.entries(item);
    if (entries.length > MAX_INPUT_ENTRIES) {
      faults.push({
        in: part,
        name: nameOf(path),
        reason: `must not hold more than ${MAX_INPUT_ENTRIES} entries`,
      });
      continue;
    }
    // Pushed in reverse so faults come out in document order.
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, element] = entries[index]!;
      pending.push({
        value: element,
        path: [...path, key],
        keyFault: typeof key === 'string' ? faultOfKey(key) : undefined,
      });
    }
  }
  if (faults.length > 0) throw problems.validation(faults);
}
