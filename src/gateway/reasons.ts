import { redact } from '../privacy/redact.js';

/** How many distinct reasons an error message quotes; the rest are summarised as "and N more". */
const QUOTED_REASONS = 4;
/** Longest error message sent back, so a hostile payload cannot make the answer large. */
const MAX_MESSAGE = 600;
/** Distinct reasons remembered per request: enough to quote and count, bounded whatever arrives. */
const MAX_DISTINCT = 64;

/**
 * What one request lost to the catalog: whole items rejected (counted for OTLP partial success)
 * and finer drops (attributes, bodies, exemplars) that leave the item itself accepted. Both are
 * explained in `errorMessage`; a message with nothing rejected is an OTLP partial-success warning.
 */
export interface Reasons {
  /**
   * Records `count` items rejected for `reason`. A `%s` in the reason stands for `name` (a name the
   * client sent), quoted only when the message is built: a flood of bad names costs a map lookup each.
   */
  reject(reason: string, count: number, name?: string): void;
  /** Records a part of an item removed for `reason` (the item is kept); `%s` as in `reject`. */
  strip(reason: string, name?: string): void;
  /**
   * Records a change that needs no reason (a description made the catalog's, two series merged,
   * an empty scope dropped): the request is no longer the one received, though nothing was lost.
   */
  edit(): void;
  /** Whether anything was rejected, removed or changed: if not, the request is the one received. */
  readonly edited: boolean;
  /** Items rejected so far. */
  readonly rejected: number;
  /** The partial-success error message ('' when nothing was rejected or stripped). */
  message(): string;
}

/** A fresh collector; `noun` names the items (`data points`, `log records`, `spans`). */
export function createReasons(noun: string): Reasons {
  let rejected = 0;
  // Map keeps first-seen order, so the message quotes the first problems met.
  let rejections: Map<string, number> | undefined;
  let strips: Map<string, number> | undefined;
  let overflow = 0;
  let edited = false;

  const note = (map: Map<string, number>, reason: string, name: string | undefined, count: number) => {
    edited = true;
    const key = name === undefined ? reason : `${reason}\u0000${name}`;
    const seen = map.get(key);
    if (seen !== undefined) map.set(key, seen + count);
    else if (map.size < MAX_DISTINCT) map.set(key, count);
    else overflow++;
  };

  return {
    reject(reason, count, name) {
      if (count <= 0) return;
      rejected += count;
      note((rejections ??= new Map()), reason, name, count);
    },
    strip(reason, name) {
      note((strips ??= new Map()), reason, name, 1);
    },
    edit() {
      edited = true;
    },
    get edited() {
      return edited;
    },
    get rejected() {
      return rejected;
    },
    message() {
      if (rejections === undefined && strips === undefined) return '';
      const parts: string[] = [];
      if (rejections !== undefined) parts.push(`rejected ${rejected} ${noun}: ${quote(rejections)}`);
      if (strips !== undefined) parts.push(`removed: ${quote(strips)}`);
      if (overflow > 0) parts.push(`and ${overflow} more problems`);
      const text = parts.join('; ');
      return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE - 1)}…`;
    },
  };
}

function quote(map: ReadonlyMap<string, number>): string {
  const out: string[] = [];
  let i = 0;
  for (const [key, count] of map) {
    if (i++ === QUOTED_REASONS) {
      out.push(`and ${map.size - QUOTED_REASONS} more`);
      break;
    }
    const cut = key.indexOf('\u0000');
    const reason = cut === -1 ? key : key.slice(0, cut).replace('%s', () => quoteName(key.slice(cut + 1)));
    out.push(count > 1 ? `${reason} (×${count})` : reason);
  }
  return out.join(', ');
}

/**
 * A name the client sent (a metric, event or attribute key), safe to put in a reason: control
 * characters replaced, cut to 64 characters, and redacted — reasons are logged, and a key can be
 * an email address as easily as a value can.
 */
function quoteName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return `"${redact(clean.length > 64 ? `${clean.slice(0, 64)}…` : clean)}"`;
}
