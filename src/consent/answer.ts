/**
 * Reads one typed answer: y/yes/n/no in any case, surrounding blanks ignored; an empty line is the
 * author's default. Anything else is `undefined` (the question is asked again).
 */
export function parseAnswer(line: string, defaultYes: boolean): boolean | undefined {
  const word = line.trim().toLowerCase();
  if (word === '') return defaultYes;
  if (word === 'y' || word === 'yes') return true;
  if (word === 'n' || word === 'no') return false;
  return undefined;
}
