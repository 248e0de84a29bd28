// Control characters a terminal may act on (C0, DEL, C1: ESC alone can clear a screen or set a
// clipboard), and the bidirectional overrides and isolates that make a line read other than it is.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const shown = (c: string): string => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
};

/**
 * One value received from others (a service name, an event name, an attribute value, a line of a
 * file the user did not write) made safe to print on a terminal line: every control character,
 * the newline included, is shown as `\xHH` (a bidi control as `\uHHHH`), so it cannot move the
 * cursor, fake a line, reorder what is shown, retitle the window or write to the clipboard.
 */
export function terminalValue(value: string): string {
  return value.replace(CONTROLS, shown);
}

/**
 * Text of several lines made safe to print, as a last guard: like `terminalValue` but newlines
 * stay. Values inside it must have gone through `terminalValue`, or one could fake a line.
 */
export function terminalText(text: string): string {
  return text.replace(CONTROLS_BUT_NEWLINE, shown);
}
