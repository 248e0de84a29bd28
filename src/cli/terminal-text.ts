/** Control characters a terminal may act on (C0 but newline, DEL, C1): ESC alone can clear a screen or set a clipboard. */
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text received from others made safe to print to a terminal: every control character but the
 * newline is shown as `\xHH`, so a service name or an attribute value cannot move the cursor,
 * fake a line, retitle the window or write to the clipboard.
 */
export function terminalText(text: string): string {
  return text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
