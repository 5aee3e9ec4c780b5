/**
 * A word as PostgreSQL's text-search parser reads one: letters and digits, joined by single dots, hyphens,
 * underscores, at signs or slashes (`t-shirt`, `1.5`, `ana@mail.com`). Nothing in it is a tsquery operator.
 */
const WORD = String.raw`[\p{L}\p{N}\p{M}]+(?:[._@/-][\p{L}\p{N}\p{M}]+)*`;
/** A word, marked as excluded by dashes right before it at the start of a chunk. */
const TERM = new RegExp(String.raw`(?<excluded>(?<!\S)-+)?(?<word>${WORD})`, 'gu');
const WORDS = new RegExp(WORD, 'gu');

interface Term {
  text: string;
  excluded: boolean;
}

/**
 * What a visitor typed in the search box, rewritten in the web-search syntax (`"exact phrase"`,
 * `-excluded`, `or`) with every operator placed where it has a word to act on. PostgreSQL's
 * `websearch_to_tsquery` keeps operators that wait for a word on a stack of 32, so input such as 33
 * dashes or `-(` repeated overflows it with an error; rewritten, an operator waits for at most one word.
 * Anything that is not a word, a phrase's quotes, a leading dash or `or` is dropped. Empty when no word
 * is left.
 */
export function webSearchText(typed: string): string {
  const terms: Array<Term | 'or'> = [];
  // Outside quotes at even indexes, inside at odd ones; an unclosed quote runs to the end, as in web search.
  const parts = typed.split('"');
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      const words = part.match(WORDS);
      const excluded = /(?<!\S)-+$/.test(parts[index - 1]!);
      if (words) terms.push({ text: `"${words.join(' ')}"`, excluded });
      return;
    }
    for (const match of part.matchAll(TERM)) {
      const { excluded, word } = match.groups!;
      terms.push(!excluded && word!.toLowerCase() === 'or' ? 'or' : { text: word!, excluded: !!excluded });
    }
  });
  return joinTerms(terms);
}

/** `or` stays only between two terms; repeated, leading or trailing ones mean nothing and are dropped. */
function joinTerms(terms: Array<Term | 'or'>): string {
  const out: string[] = [];
  let pendingOr = false;
  for (const term of terms) {
    if (term === 'or') {
      pendingOr = out.length > 0;
      continue;
    }
    if (pendingOr) out.push('or');
    out.push(`${term.excluded ? '-' : ''}${term.text}`);
    pendingOr = false;
  }
  return out.join(' ');
}
